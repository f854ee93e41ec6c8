package dev.sagaplatform.inventory;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code inventory.*}, validated at start-up. */
@Validated
@ConfigurationProperties("inventory")
public record InventoryProperties(@Valid @NotNull @DefaultValue Seed seed) {

    /** The value of {@code inventory.seed.location} that turns seeding off. */
    public static final String NO_SEED = "none";

    /**
     * @param location a Spring resource location of the products YAML, or {@value #NO_SEED}
     */
    public record Seed(@NotBlank @DefaultValue("classpath:seed/products.yaml") String location) {

        public boolean enabled() {
            return !NO_SEED.equalsIgnoreCase(location.strip());
        }
    }
}
