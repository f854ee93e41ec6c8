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
public record InventoryProperties(@Valid @NotNull @DefaultValue Seed seed, @Valid @NotNull @DefaultValue Testing testing) {

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

    /**
     * Test-only switches; never set them in production.
     *
     * @param failingSku the choreographed reservation of an order with this SKU throws, as a handler bug would, so that
     *                   tests can prove a dead-lettered step never strands an order; empty (the default) for none
     */
    public record Testing(@DefaultValue("") String failingSku) {
    }
}
