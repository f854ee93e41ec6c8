package dev.sagaplatform.payment.payment;

import java.time.Duration;

/**
 * When {@link GatewayReturns} tries a return again, by how its last attempt ended: confirmed returns are done, an
 * unavailable gateway backs off exponentially and holds the rest of the batch as long (rather than fail each row
 * against the same outage), a refusal needs an operator and is retried at a slow pace until its cause is fixed.
 */
public final class GatewayReturnRetries {

    /** How one attempt to send a return ended. */
    public enum Outcome {
        /** The gateway refunded, voided, or answered a replay. */
        CONFIRMED,
        /** The gateway answered no (4xx). */
        REFUSED,
        /** No usable answer: whether the gateway acted is unknown. */
        UNAVAILABLE,
        /** Anything else went wrong on this side. */
        FAILED
    }

    /**
     * What to do with the return after an attempt.
     *
     * @param done                 the return is confirmed: forget it
     * @param retryAfter           when not done, how long until the next attempt
     * @param refused              when not done, whether the gateway refused it (what operators are alerted on)
     * @param postponeRestOfBatch  the rows after this one in the batch wait {@code retryAfter} too, unsent
     */
    public record Next(boolean done, Duration retryAfter, boolean refused, boolean postponeRestOfBatch) {
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration refusedRetryInterval;

    public GatewayReturnRetries(Duration initialBackoff, Duration maxBackoff, Duration refusedRetryInterval) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.refusedRetryInterval = refusedRetryInterval;
    }

    /** @param attempts the attempts the return had failed before this one */
    public Next after(Outcome outcome, int attempts) {
        return switch (outcome) {
            case CONFIRMED -> new Next(true, Duration.ZERO, false, false);
            case REFUSED -> new Next(false, refusedRetryInterval, true, false);
            case UNAVAILABLE -> new Next(false, backoff(attempts), false, true);
            case FAILED -> new Next(false, backoff(attempts), false, false);
        };
    }

    /** The initial backoff doubled per failed attempt, at most the maximum. */
    private Duration backoff(int attempts) {
        long millis = initialBackoff.toMillis() << Math.min(attempts, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
