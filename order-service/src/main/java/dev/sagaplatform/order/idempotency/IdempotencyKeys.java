package dev.sagaplatform.order.idempotency;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@code idempotency_key} table. A key moves IN_PROGRESS → COMPLETED, or disappears when its
 * request is rejected, so a key either maps to exactly one order or to nothing.
 */
@Component
public class IdempotencyKeys {

    /** Claim attempts before giving up when rows keep vanishing under us (each vanishing is a rejected request). */
    private static final int MAX_CLAIM_ATTEMPTS = 5;

    private final JdbcClient jdbc;
    private final IdempotencyProperties properties;
    private final Clock clock;

    public IdempotencyKeys(JdbcClient jdbc, IdempotencyProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Claims {@code key} for a request with {@code fingerprint}, in its own transaction, so that a
     * concurrent request with the same key sees the claim at once. An expired key, or an
     * IN_PROGRESS key older than the lock timeout (its request crashed), is taken over.
     */
    public Claim claim(String key, String fingerprint) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("an Idempotency-Key must be claimed in its own transaction, "
                    + "or concurrent requests would not see the claim until the order commits");
        }
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            UUID token = UUID.randomUUID();
            Instant now = clock.instant();
            // The primary key serializes concurrent claims: the second insert waits for the first to
            // commit, then sees the fresh row and, not being allowed to take it over, updates nothing.
            int claimed = jdbc.sql("""
                    insert into idempotency_key (idempotency_key, fingerprint, state, lock_token, created_at, expires_at)
                    values (:key, :fingerprint, 'IN_PROGRESS', :token, :now, :expiresAt)
                    on conflict (idempotency_key) do update
                       set fingerprint = excluded.fingerprint, state = 'IN_PROGRESS', lock_token = excluded.lock_token,
                           response_status = null, response_body = null, order_id = null,
                           created_at = excluded.created_at, expires_at = excluded.expires_at
                     where idempotency_key.expires_at <= :now
                        or (idempotency_key.state = 'IN_PROGRESS' and idempotency_key.created_at <= :staleBefore)
                    """)
                    .param("key", key)
                    .param("fingerprint", fingerprint)
                    .param("token", token)
                    .param("now", utc(now))
                    .param("expiresAt", utc(now.plus(properties.retention())))
                    .param("staleBefore", utc(now.minus(properties.lockTimeout())))
                    .update();
            if (claimed == 1) {
                return new Claim.Acquired(token);
            }
            Optional<Claim> existing = existing(key, fingerprint);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw new RequestInProgressException("Idempotency-Key '" + key + "' is being claimed and released by other "
                + "requests at this moment");
    }

    /**
     * What the key already stands for, without claiming it: the stored answer, a request in progress,
     * another request's key, or nothing. Read-only, for answering a replay when no new order can be taken.
     */
    public Optional<Claim> existing(String key, String fingerprint) {
        return jdbc.sql("""
                        select fingerprint, state, response_status, response_body, order_id
                          from idempotency_key where idempotency_key = :key
                        """)
                .param("key", key)
                .query((rs, rowNum) -> {
                    if (!fingerprint.equals(rs.getString("fingerprint"))) {
                        return (Claim) new Claim.FingerprintMismatch();
                    }
                    if ("COMPLETED".equals(rs.getString("state"))) {
                        return new Claim.Completed(new StoredResponse(rs.getInt("response_status"),
                                rs.getString("response_body"), rs.getObject("order_id", UUID.class)));
                    }
                    return new Claim.InProgress();
                })
                .optional();
    }

    /**
     * Stores the response for replay. Must run in the transaction that creates the order, so that the
     * order and its key commit together or not at all.
     *
     * @throws ClaimLostException if the claim was taken over meanwhile; the caller's transaction must roll back
     */
    public void complete(String key, UUID token, StoredResponse response) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("complete must run in the transaction that creates the order");
        }
        int updated = jdbc.sql("""
                        update idempotency_key
                           set state = 'COMPLETED', lock_token = null,
                               response_status = :status, response_body = :body, order_id = :orderId
                         where idempotency_key = :key and lock_token = :token and state = 'IN_PROGRESS'
                        """)
                .param("status", response.status())
                .param("body", response.body())
                .param("orderId", response.orderId())
                .param("key", key)
                .param("token", token)
                .update();
        if (updated != 1) {
            throw new ClaimLostException(key);
        }
    }

    /** Forgets a claim whose request was rejected, so that the key can be used again. */
    public void release(String key, UUID token) {
        jdbc.sql("delete from idempotency_key where idempotency_key = :key and lock_token = :token")
                .param("key", key)
                .param("token", token)
                .update();
    }

    /** Deletes expired keys in batches, so no single statement holds locks for long; returns how many. */
    public long purgeExpired() {
        OffsetDateTime now = utc(clock.instant());
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                            delete from idempotency_key where idempotency_key in (
                                select idempotency_key from idempotency_key where expires_at <= :now limit :limit)
                            """)
                    .param("now", now)
                    .param("limit", properties.cleanupBatchSize())
                    .update();
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        return total;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
