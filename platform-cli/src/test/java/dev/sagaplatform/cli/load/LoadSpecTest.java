package dev.sagaplatform.cli.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LoadSpecTest {

    private static LoadSpec spec(double rate, String duration) {
        return new LoadSpec(rate, LoadSpec.parseDuration(duration, "--duration"), LoadSpec.FlowMix.MIXED, 5, 3, 2, Duration.ofSeconds(10));
    }

    @Test
    void dueTimesFollowTheRateFromTheStart() {
        LoadSpec spec = spec(4, "2s");

        assertThat(spec.total()).isEqualTo(8);
        assertThat(LongStream.range(0, 8).map(spec::dueNanos).toArray())
                .containsExactly(0L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L, 1_250_000_000L, 1_500_000_000L, 1_750_000_000L);
        assertThat(spec(2.5, "1s").total()).isEqualTo(3);
        assertThat(spec(1, "1500ms").total()).isEqualTo(2);
        assertThat(spec(0.1, "1s").total()).as("the first order is due at once").isEqualTo(1);
    }

    @Test
    void spreadsOrdersOverCustomersSkusAndBothFlows() {
        LoadSpec spec = spec(10, "1s");

        assertThat(spec.customerOf(0)).isEqualTo("load-customer-0001");
        assertThat(spec.customerOf(5)).isEqualTo("load-customer-0001");
        assertThat(spec.flowOf(0)).isEqualTo("CHOREOGRAPHY");
        assertThat(spec.flowOf(1)).isEqualTo("ORCHESTRATION");
        for (long index = 0; index < 10; index++) {
            assertThat(new HashSet<>(spec.skusOf(index))).hasSize(2);
        }
        assertThat(LongStream.range(0, 3).mapToObj(spec::skusOf).flatMap(java.util.List::stream))
                .containsExactly("LOAD-SKU-0001", "LOAD-SKU-0002", "LOAD-SKU-0003", "LOAD-SKU-0001", "LOAD-SKU-0002", "LOAD-SKU-0003");
    }

    @Test
    void refusesNonsenseWithEveryReasonAtOnce() {
        assertThatThrownBy(() -> new LoadSpec(0, Duration.ofSeconds(10), LoadSpec.FlowMix.MIXED, 0, 2, 3, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rate 0.0").hasMessageContaining("--customers 0").hasMessageContaining("--lines 3 needs at least");
        assertThatThrownBy(() -> LoadSpec.parseDuration("soon", "--duration")).hasMessageContaining("--duration soon: a duration such as 60s");
        assertThatThrownBy(() -> LoadSpec.FlowMix.parse("SAGA")).hasMessageContaining("CHOREOGRAPHY, ORCHESTRATION or MIXED");
    }

    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertThat(LoadSpec.parseDuration("90", "--duration")).isEqualTo(Duration.ofSeconds(90));
        assertThat(LoadSpec.parseDuration("60s", "--duration")).isEqualTo(Duration.ofSeconds(60));
        assertThat(LoadSpec.parseDuration("5m", "--duration")).isEqualTo(Duration.ofMinutes(5));
        assertThat(LoadSpec.parseDuration("250ms", "--duration")).isEqualTo(Duration.ofMillis(250));
        assertThat(LoadSpec.parseDuration("1h", "--duration")).isEqualTo(Duration.ofHours(1));
    }
}
