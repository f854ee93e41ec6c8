package dev.sagaplatform.order.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SagaAdmissionTest {

    private static SagaAdmission admission(int min, int max) {
        return new SagaAdmission(new SagaAdmission.Settings(true, min, max, Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    @Test
    void limitIsCompletionsPerSecondTimesTheTargetLatency() {
        SagaAdmission admission = admission(10, 1000);

        // 300 ended in 2 s: 150 per second; a 1 s target allows 150 in flight.
        assertThat(admission.observe(0, 300).limit()).isEqualTo(150);
        assertThat(admission.observe(0, 5).limit()).as("never below the minimum").isEqualTo(10);
        assertThat(admission.observe(0, 1_000_000).limit()).as("never above the maximum").isEqualTo(1000);
    }

    @Test
    void admitsWhileInFlightIsBelowTheLimitCountingWhatItAdmittedSinceTheLastReading() {
        SagaAdmission admission = admission(4, 4);
        admission.observe(2, 0);

        assertThat(admission.tryAdmit()).isTrue();
        assertThat(admission.tryAdmit()).isTrue();
        assertThat(admission.tryAdmit()).isFalse();
        assertThat(admission.refusedCount()).isEqualTo(1);

        admission.release();
        assertThat(admission.tryAdmit()).as("a released place is free again").isTrue();

        admission.observe(1, 0);
        assertThat(admission.inFlightEstimate()).isEqualTo(1);
        assertThat(admission.tryAdmit()).isTrue();
    }

    @Test
    void aColdPlatformWithNothingEndingStillGetsTheMinimumThenGrowsWithWhatItFinishes() {
        SagaAdmission admission = admission(16, 2000);

        assertThat(admission.snapshot().limit()).isEqualTo(16);
        // Each round the limit follows what ended: the queue stays about one target latency long.
        assertThat(admission.observe(16, 40).limit()).isEqualTo(20);
        assertThat(admission.observe(20, 120).limit()).isEqualTo(60);
        assertThat(admission.observe(60, 400).limit()).isEqualTo(200);
    }

    @Test
    void disabledAdmitsEverything() {
        SagaAdmission admission = new SagaAdmission(new SagaAdmission.Settings(false, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        admission.observe(100, 0);

        assertThat(admission.tryAdmit()).isTrue();
        assertThat(admission.refusedCount()).isZero();
    }
}
