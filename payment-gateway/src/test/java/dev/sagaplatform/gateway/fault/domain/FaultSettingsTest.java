package dev.sagaplatform.gateway.fault.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultSettingsTest {

    private static final FaultUpdate NOTHING = new FaultUpdate(null, null, null, null, null, null, null, null);

    private static FaultSettings settings(double errorRate, double afterRate, long latency, long jitter, LatencyDistribution distribution,
            boolean reset) {
        return new FaultSettings(errorRate, afterRate, latency, jitter, distribution, false, reset, false);
    }

    @Test
    void anUpdateKeepsWhatItLeavesOut() {
        FaultSettings current = settings(0.5, 0.1, 100, 20, LatencyDistribution.EXPONENTIAL, false);

        assertThat(current.with(NOTHING)).isEqualTo(current);
        assertThat(current.with(new FaultUpdate(null, null, 7L, null, null, true, null, null)))
                .isEqualTo(new FaultSettings(0.5, 0.1, 7, 20, LatencyDistribution.EXPONENTIAL, true, false, false));
    }

    @Test
    void refusesRatesOutsideZeroToOneAndLatencyOutsideItsBounds() {
        assertThatThrownBy(() -> FaultSettings.HEALTHY.with(new FaultUpdate(1.01, null, null, null, null, null, null, null)))
                .isInstanceOf(InvalidFaultSettingsException.class).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> FaultSettings.HEALTHY.with(new FaultUpdate(null, Double.NaN, null, null, null, null, null, null)))
                .isInstanceOf(InvalidFaultSettingsException.class).hasMessageContaining("errorAfterProcessingRate");
        assertThatThrownBy(() -> FaultSettings.HEALTHY.with(new FaultUpdate(null, null, -1L, null, null, null, null, null)))
                .isInstanceOf(InvalidFaultSettingsException.class).hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> FaultSettings.HEALTHY.with(new FaultUpdate(null, null, null, FaultSettings.MAX_LATENCY_MS + 1, null, null, null, null)))
                .isInstanceOf(InvalidFaultSettingsException.class).hasMessageContaining("latencyJitterMs");
    }

    @Test
    void healthySettingsLetEveryRequestThroughAtOnce() {
        RandomGenerator random = new SplittableRandom(1);

        assertThat(IntStream.range(0, 1000).mapToObj(i -> FaultPlan.draw(FaultSettings.HEALTHY, random)))
                .allMatch(plan -> plan.equals(new FaultPlan(0, FaultPlan.Action.PROCEED)));
    }

    @Test
    void ratesOfOneAlwaysFailAndResetWinsOverErrors() {
        RandomGenerator random = new SplittableRandom(2);

        assertThat(FaultPlan.draw(settings(1.0, 0, 0, 0, LatencyDistribution.UNIFORM, false), random).action())
                .isEqualTo(FaultPlan.Action.FAIL_BEFORE_PROCESSING);
        assertThat(FaultPlan.draw(settings(0, 1.0, 0, 0, LatencyDistribution.UNIFORM, false), random).action())
                .isEqualTo(FaultPlan.Action.FAIL_AFTER_PROCESSING);
        assertThat(FaultPlan.draw(settings(1.0, 1.0, 0, 0, LatencyDistribution.UNIFORM, true), random).action())
                .isEqualTo(FaultPlan.Action.RESET_CONNECTION);
    }

    @Test
    void errorRateFailsAboutThatShareOfRequests() {
        RandomGenerator random = new SplittableRandom(3);
        FaultSettings quarter = settings(0.25, 0, 0, 0, LatencyDistribution.UNIFORM, false);

        long failed = IntStream.range(0, 10_000)
                .filter(i -> FaultPlan.draw(quarter, random).action() == FaultPlan.Action.FAIL_BEFORE_PROCESSING).count();

        assertThat(failed).isBetween(2_300L, 2_700L);
    }

    @Test
    void delaysStayWithinTheirDistributionsBounds() {
        RandomGenerator random = new SplittableRandom(4);
        FaultSettings fixed = settings(0, 0, 100, 50, LatencyDistribution.FIXED, false);
        FaultSettings uniform = settings(0, 0, 100, 50, LatencyDistribution.UNIFORM, false);
        FaultSettings exponential = settings(0, 0, 100, 50, LatencyDistribution.EXPONENTIAL, false);

        assertThat(IntStream.range(0, 1000).mapToLong(i -> FaultPlan.draw(fixed, random).delayMs())).containsOnly(100L);
        assertThat(IntStream.range(0, 1000).mapToLong(i -> FaultPlan.draw(uniform, random).delayMs()).boxed())
                .allMatch(delay -> delay >= 100 && delay <= 150)
                .contains(100L, 150L);
        double exponentialMean = IntStream.range(0, 10_000).mapToLong(i -> FaultPlan.draw(exponential, random).delayMs())
                .peek(delay -> assertThat(delay).isBetween(100L, 600L))
                .average().orElseThrow();
        assertThat(exponentialMean).isBetween(145.0, 155.0);
    }
}
