package dev.sagaplatform.payment.payment.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ChargeKeysTest {

    private static final UUID ORDER = UUID.fromString("00000000-0000-0000-0000-000000000042");

    @Test
    void everyAttemptCarriesTheOrdersOneChargeKey() {
        Supplier<String> keys = ChargeKeys.perAttempt(ORDER, PlantedBugs.NONE, IdGenerator.RANDOM);

        assertThat(List.of(keys.get(), keys.get(), keys.get())).containsOnly("charge-" + ORDER);
    }

    @Test
    void theFreshChargeKeyBugGivesEveryAttemptAKeyOfItsOwn() {
        Supplier<String> keys = ChargeKeys.perAttempt(ORDER, PlantedBugs.of(List.of(PlantedBug.FRESH_CHARGE_KEY)),
                IdGenerator.RANDOM);

        List<String> attempts = List.of(keys.get(), keys.get(), keys.get());
        assertThat(attempts).doesNotHaveDuplicates().allMatch(key -> key.startsWith("charge-" + ORDER + "-"));
    }

    @Test
    void theBrokenBuildsPropertySwitchesTheBugOn() {
        var configuration = new GatewayClientConfiguration();

        assertThat(configuration.plantedBugs(properties(true)).has(PlantedBug.FRESH_CHARGE_KEY)).isTrue();
        assertThat(configuration.plantedBugs(properties(false))).isEqualTo(PlantedBugs.NONE);
    }

    private static GatewayProperties properties(boolean freshChargeKeyPerAttempt) {
        return new GatewayProperties(URI.create("http://gateway"), "key", Duration.ofSeconds(1), Duration.ofSeconds(3),
                new GatewayProperties.Returns(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(30),
                        Duration.ofMinutes(5), 20),
                new GatewayProperties.Testing(freshChargeKeyPerAttempt));
    }
}
