package dev.sagaplatform.order.idempotency;

import java.util.UUID;

/** What {@link IdempotencyKeys#claim} found for a key. */
public sealed interface Claim {

    /** This request owns the key now and must complete or release it with {@code token}. */
    record Acquired(UUID token) implements Claim {
    }

    /** An earlier request with the same fingerprint completed: answer with its response. */
    record Completed(StoredResponse response) implements Claim {
    }

    /** An earlier request with the same fingerprint is still being processed. */
    record InProgress() implements Claim {
    }

    /** The key was used for a different request. */
    record FingerprintMismatch() implements Claim {
    }
}
