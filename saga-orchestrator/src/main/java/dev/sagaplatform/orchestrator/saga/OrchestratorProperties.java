package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.orchestrator.saga.domain.RetryPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code orchestrator.*}, validated at start-up.
 *
 * @param maxBusyWait how long in all a command may go unanswered while its participant is busy working
 *                    through a queue (each step timeout then moves the deadline on instead of failing the step)
 * @param participants which consumer group answers the commands of each command topic, to see how busy it is
 * @param stepTimeout how long any command may go unanswered: a forward step is then compensated, a
 *                    compensation (or the pivot) re-sent after a backoff
 */
@Validated
@ConfigurationProperties("orchestrator")
public record OrchestratorProperties(@NotNull @DefaultValue("10s") Duration stepTimeout,
                                     @NotNull @DefaultValue("60s") Duration maxBusyWait,
                                     @Valid @NotNull @DefaultValue Participants participants,
                                     @Valid @NotNull @DefaultValue Compensation compensation,
                                     @Valid @NotNull @DefaultValue Poller poller) {

    /**
     * Re-sending of commands that must finish (compensations, the pivot, the rejection).
     *
     * @param maxAttempts sends of one command, the first included, before the saga is parked as STUCK
     * @param jitter      fraction of each pause taken off at random (0 = none, 1 = anywhere down to zero)
     */
    public record Compensation(@NotNull @DefaultValue("1s") Duration initialBackoff,
                               @NotNull @DefaultValue("30s") Duration maxBackoff,
                               @Min(1) @Max(1000) @DefaultValue("10") int maxAttempts,
                               @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.2") double jitter) {

        @AssertTrue(message = "orchestrator.compensation.initial-backoff must be positive and max-backoff >= initial-backoff")
        public boolean isBackoffOrdered() {
            return initialBackoff == null || maxBackoff == null
                    || (isPositive(initialBackoff) && maxBackoff.compareTo(initialBackoff) >= 0);
        }
    }

    /**
     * @param interval  pause between two looks for due sagas; a timeout fires up to this much late
     * @param batchSize most sagas handled per look, each in its own transaction, so one look cannot run forever
     */
    public record Poller(@NotNull @DefaultValue("500ms") Duration interval,
                         @Min(1) @Max(10_000) @DefaultValue("100") int batchSize) {

        @AssertTrue(message = "orchestrator.poller.interval must be between 10ms and 1m")
        public boolean isIntervalSensible() {
            return interval == null
                    || (interval.compareTo(Duration.ofMillis(10)) >= 0 && interval.compareTo(Duration.ofMinutes(1)) <= 0);
        }
    }

    /**
     * The consumer group of each participant, by the topic its commands go to (the names the services give
     * their subscriptions). {@code sample-interval}: how often their progress is read from Kafka.
     */
    public record Participants(@NotNull @DefaultValue("payment-service") String paymentCommands,
                               @NotNull @DefaultValue("inventory-service") String inventoryCommands,
                               @NotNull @DefaultValue("order-service") String orderCommands,
                               @NotNull @DefaultValue("1s") Duration sampleInterval) {
    }

    @AssertTrue(message = "orchestrator.max-busy-wait must be at least orchestrator.step-timeout")
    public boolean isMaxBusyWaitSensible() {
        return stepTimeout == null || maxBusyWait == null || maxBusyWait.compareTo(stepTimeout) >= 0;
    }

    @AssertTrue(message = "orchestrator.step-timeout must be at least 100ms")
    public boolean isStepTimeoutSensible() {
        return stepTimeout == null || stepTimeout.compareTo(Duration.ofMillis(100)) >= 0;
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(stepTimeout, maxBusyWait, compensation.initialBackoff(), compensation.maxBackoff(),
                compensation.maxAttempts(), compensation.jitter());
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isZero() && !duration.isNegative();
    }
}
