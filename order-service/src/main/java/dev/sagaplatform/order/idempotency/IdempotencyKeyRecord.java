package dev.sagaplatform.order.idempotency;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of the {@code idempotency_key} table.
 *
 * @param lockToken who holds an {@code IN_PROGRESS} claim; {@code null} once {@code COMPLETED}
 * @param response  the stored answer of a {@code COMPLETED} key; {@code null} while {@code IN_PROGRESS}
 */
public record IdempotencyKeyRecord(String key, String fingerprint, State state, UUID lockToken, Instant createdAt,
                                   Instant expiresAt, StoredResponse response) {

    public enum State { IN_PROGRESS, COMPLETED }

    public IdempotencyKeyRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if ((state == State.IN_PROGRESS) != (lockToken != null) || (state == State.COMPLETED) != (response != null)) {
            throw new IllegalArgumentException("an IN_PROGRESS key has a lock token and no response, a COMPLETED key "
                    + "a response and no lock token: " + state + ", " + lockToken + ", " + response);
        }
    }
}
