package dev.sagaplatform.order.idempotency;

import dev.sagaplatform.order.idempotency.IdempotencyKeyRecord.State;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What a key's row means for a request, decided in plain Java on the row as it is read under its lock, so that the
 * database and the simulator's in-memory store apply the same rules. A key moves IN_PROGRESS → COMPLETED, or
 * disappears when its request is rejected, so a key either maps to exactly one order or to nothing.
 */
public final class IdempotencyRules {

    private final IdempotencyProperties properties;

    public IdempotencyRules(IdempotencyProperties properties) {
        this.properties = properties;
    }

    /**
     * A request may claim a key that is free, expired, or IN_PROGRESS for longer than the lock timeout (its request
     * presumably crashed), whatever request it was claimed for.
     */
    public boolean mayClaim(Optional<IdempotencyKeyRecord> current, Instant now) {
        if (current.isEmpty()) {
            return true;
        }
        IdempotencyKeyRecord key = current.get();
        return !key.expiresAt().isAfter(now)
                || (key.state() == State.IN_PROGRESS && !key.createdAt().isAfter(now.minus(properties.lockTimeout())));
    }

    /** A fresh claim, kept for the retention. */
    public IdempotencyKeyRecord newClaim(String key, String fingerprint, UUID token, Instant now) {
        return new IdempotencyKeyRecord(key, fingerprint, State.IN_PROGRESS, token, now, now.plus(properties.retention()),
                null);
    }

    /**
     * What a key that is not claimed stands for, for a request with {@code fingerprint}: another request's key, the
     * stored answer of this request, or this request still in progress. Expiry is not looked at: a replay is answered
     * until the key is taken over or deleted.
     */
    public static Claim standsFor(IdempotencyKeyRecord key, String fingerprint) {
        if (!fingerprint.equals(key.fingerprint())) {
            return new Claim.FingerprintMismatch();
        }
        if (key.state() == State.COMPLETED) {
            return new Claim.Completed(key.response());
        }
        return new Claim.InProgress();
    }

    /**
     * Only the holder of the claim completes it: a claim taken over after the lock timeout is lost, and completing
     * anyway could create a second order for one key.
     */
    public static boolean mayComplete(Optional<IdempotencyKeyRecord> current, UUID token) {
        return current.isPresent() && current.get().state() == State.IN_PROGRESS && token.equals(current.get().lockToken());
    }

    public static IdempotencyKeyRecord completed(IdempotencyKeyRecord claimed, StoredResponse response) {
        return new IdempotencyKeyRecord(claimed.key(), claimed.fingerprint(), State.COMPLETED, null, claimed.createdAt(),
                claimed.expiresAt(), response);
    }

    /**
     * Only the holder of the claim releases it; a completed key has no token, so releasing after a commit whose answer
     * was lost deletes nothing.
     */
    public static boolean mayRelease(Optional<IdempotencyKeyRecord> current, UUID token) {
        return current.isPresent() && token.equals(current.get().lockToken());
    }
}
