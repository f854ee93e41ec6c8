package dev.sagaplatform.orchestrator.saga.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * How long the saga waits for a reply, and how it re-sends commands that must finish (compensations,
 * the pivot, the rejection) when none comes: exponential backoff with jitter, up to a budget of sends.
 *
 * @param stepTimeout    how long a reply to any command may take from a participant that is not busy
 * @param maxBusyWait    how long in all a command may wait for its reply while the participant is busy
 *                       with a queue (see {@link ParticipantBacklog}); past it the deadline holds anyway
 * @param initialBackoff pause after the first unanswered send
 * @param maxBackoff     upper bound of any pause
 * @param maxAttempts    sends of one command, the first included, before the saga is parked as STUCK
 * @param jitter         fraction (0..1) of each pause that is taken off at random, so that sagas that
 *                       failed together do not all retry together
 */
public record RetryPolicy(Duration stepTimeout, Duration maxBusyWait, Duration initialBackoff, Duration maxBackoff,
                          int maxAttempts, double jitter) {

    public RetryPolicy {
        requirePositive(stepTimeout, "stepTimeout");
        requirePositive(maxBusyWait, "maxBusyWait");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within 0..1, was " + jitter);
        }
    }

    /**
     * The pause after {@code attempt} unanswered sends: {@code initialBackoff * 2^(attempt-1)}, capped at
     * {@code maxBackoff}, minus up to {@code jitter} of it.
     *
     * <p>The random part is drawn from the saga id and the attempt rather than from a global source,
     * so the state machine stays a pure function: the same inputs give the same schedule (a simulator
     * replaying a seed sees the same run), while different sagas still spread out.
     */
    public Duration backoff(UUID sagaId, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        double exponential = initialBackoff.toMillis() * Math.pow(2, Math.min(attempt - 1, 62));
        double capped = Math.min(maxBackoff.toMillis(), exponential);
        long seed = sagaId.getMostSignificantBits() * 31 + sagaId.getLeastSignificantBits() + attempt * 0x9E3779B97F4A7C15L;
        double random = new SplittableRandom(seed).nextDouble();
        return Duration.ofMillis(Math.round(capped * (1 - jitter * random)));
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
