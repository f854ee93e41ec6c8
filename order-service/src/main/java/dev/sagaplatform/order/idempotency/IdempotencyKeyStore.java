package dev.sagaplatform.order.idempotency;

import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency keys, one row per key: {@link JdbcIdempotencyKeyStore} in production, an in-memory store in the
 * simulator. {@link #findForUpdate}, {@link #insertIfAbsent}, {@link #update} and {@link #delete} are called inside a
 * transaction; {@link #find} and {@link #deleteExpired} inside one or on their own.
 */
public interface IdempotencyKeyStore {

    /** The key's row as committed, without a lock. */
    Optional<IdempotencyKeyRecord> find(String key);

    /**
     * The key's row, locked until the transaction ends: claims, completions and releases of one key are serialised
     * on it, so each decides on the row as it is.
     */
    Optional<IdempotencyKeyRecord> findForUpdate(String key);

    /**
     * Inserts the row unless a row with its key exists (committed, or being inserted by a transaction that then
     * commits: the insert waits for it).
     *
     * @return whether the row was inserted
     */
    boolean insertIfAbsent(IdempotencyKeyRecord key);

    /** Replaces every column of the row with the same key, which the caller holds locked. */
    void update(IdempotencyKeyRecord key);

    /** Deletes the row of the key, which the caller holds locked. */
    void delete(String key);

    /**
     * Deletes at most {@code limit} rows whose {@code expiresAt} is at or before {@code now}, each call on its own.
     *
     * @return how many were deleted
     */
    int deleteExpired(Instant now, int limit);
}
