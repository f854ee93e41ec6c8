package dev.sagaplatform.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.cli.load.LoadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class StepTest {

    static LoadResult result(double rate, int seconds, long accepted, Map<String, Long> rejected, long refused, long unfinished,
                             double p99, IntToLongFunction inFlight) {
        List<LoadResult.Second> timeline = new ArrayList<>();
        for (int second = 0; second < seconds; second++) {
            timeline.add(new LoadResult.Second(second, (long) rate, (long) rate, 0, (long) rate, inFlight.applyAsLong(second)));
        }
        long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
        return new LoadResult(new LoadResult.Offered(rate, seconds, "MIXED", 50, 20, 1), accepted + refused, accepted,
                accepted - rejectedTotal - unfinished, rejected, new LoadResult.Refused(refused, refused, 0, 0), 0, unfinished,
                rate, rate, new LoadResult.Percentiles(accepted, p99 / 3, p99 / 2, p99, p99, p99),
                new LoadResult.Percentiles(accepted, 5, 9, 20, 30, 40), new LoadResult.Percentiles(refused, 2, 3, 4, 5, 6), timeline);
    }

    @Test
    void aStepHoldsOnlyWithP99Within500MsNoTimeoutsNoGrowingBacklogAndAlmostNothingRefused() {
        assertThat(Step.of("search", result(20, 60, 1200, Map.of(), 0, 0, 480, s -> 10), Map.of()).held()).isTrue();
        assertThat(Step.of("search", result(20, 60, 1200, Map.of(), 0, 0, 520, s -> 10), Map.of()).held()).isFalse();
        assertThat(Step.of("search", result(20, 60, 1200, Map.of("TIMED_OUT", 1L), 0, 0, 100, s -> 10), Map.of()).held()).isFalse();
        assertThat(Step.of("search", result(20, 60, 1180, Map.of(), 20, 0, 100, s -> 10), Map.of()).held()).isFalse();
        assertThat(Step.of("search", result(20, 60, 1200, Map.of(), 0, 3, 100, s -> 10), Map.of()).held()).isFalse();
        assertThat(Step.of("search", result(20, 60, 1200, Map.of(), 0, 0, 100, s -> 10L + 2L * s), Map.of()).held())
                .as("in flight grows from ~50 to ~110 over the run").isFalse();
    }

    @Test
    void businessRejectionsAreNotFailuresOfTheStep() {
        Step step = Step.of("search", result(20, 60, 1200, Map.of("INSUFFICIENT_CREDIT", 100L), 0, 0, 200, s -> 5), Map.of());

        assertThat(step.held()).isTrue();
        assertThat(step.timedOut()).isZero();
    }

    @Test
    void cpuPerSagaIsEachProcessCpuOverTheSagasThatEnded() {
        Step step = Step.of("search", result(10, 60, 600, Map.of(), 0, 0, 100, s -> 1),
                Map.of("order-service", 6_000L, "postgres", 3_000L));

        assertThat(step.cpuMillisPerSaga()).containsEntry("order-service", 10.0).containsEntry("postgres", 5.0);
        assertThat(step.totalCpuMillisPerSaga()).isEqualTo(15.0);
    }
}
