package dev.sagaplatform.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.MessagingProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

class RedeliveryBackOffTest {

    private final MessagingProperties.Consumer policy = new MessagingProperties.Consumer(
            Duration.ofMillis(200), 2.0, Duration.ofSeconds(5), Duration.ofMillis(50), 5, "");

    @Test
    void intervalsGrowExponentiallyWithinJitterAndStopAfterTheRetryBudget() {
        List<Long> intervals = intervals();

        assertThat(intervals).hasSize(5);
        long nominal = 200;
        for (long interval : intervals) {
            // Jitter scales with the multiplier, so it is proportional to the nominal interval.
            long jitter = 50 * nominal / 200;
            assertThat(interval).isBetween(Math.max(200, nominal - jitter), Math.min(5000, nominal + jitter));
            nominal = Math.min(5000, nominal * 2);
        }
    }

    @Test
    void jitterSpreadsRetriesOfDifferentRecords() {
        Set<Long> firstIntervals = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            firstIntervals.add(intervals().get(1));
        }
        assertThat(firstIntervals).hasSizeGreaterThan(5);
    }

    private List<Long> intervals() {
        BackOffExecution execution = DeadLetterErrorHandlerFactory.backOff(policy).start();
        List<Long> intervals = new ArrayList<>();
        for (long next = execution.nextBackOff(); next != BackOffExecution.STOP; next = execution.nextBackOff()) {
            intervals.add(next);
        }
        return intervals;
    }
}
