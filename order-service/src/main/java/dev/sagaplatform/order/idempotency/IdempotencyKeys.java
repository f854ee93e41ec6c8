package dev.sagaplatform.order.idempotency;

import dev.sagaplatform.messaging.ids.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Claiming, completing and releasing Idempotency-Keys: each reads the key's row under its lock and lets
 * {@link IdempotencyRules} decide, so concurrent requests with one key are serialised on that row.
 */
@Component
public class IdempotencyKeys {

    /** Claim attempts before giving up when other requests keep inserting the key under us. */
    private static final int MAX_CLAIM_ATTEMPTS = 5;

    private final IdempotencyKeyStore store;
    private final IdempotencyRules rules;
    private final IdempotencyProperties properties;
    private final Clock clock;
    private final IdGenerator ids;

    public IdempotencyKeys(IdempotencyKeyStore store, IdempotencyProperties properties, Clock clock, IdGenerator ids) {
        this.store = store;
        this.rules = new IdempotencyRules(properties);
        this.properties = properties;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Claims {@code key} for a request with {@code fingerprint}. Must run in a transaction of its own, committed
     * before the request goes on, so that a concurrent request with the same key sees the claim at once. An expired
     * key, or an IN_PROGRESS key older than the lock timeout (its request crashed), is taken over.
     */
    public Claim claim(String key, String fingerprint) {
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            Optional<IdempotencyKeyRecord> current = store.findForUpdate(key);
            Instant now = clock.instant();
            if (!rules.mayClaim(current, now)) {
                return IdempotencyRules.standsFor(current.get(), fingerprint);
            }
            UUID token = ids.next();
            IdempotencyKeyRecord claim = rules.newClaim(key, fingerprint, token, now);
            if (current.isPresent()) {
                store.update(claim);
                return new Claim.Acquired(token);
            }
            if (store.insertIfAbsent(claim)) {
                return new Claim.Acquired(token);
            }
            // Another request inserted the key since we looked: look again, under its lock.
        }
        throw new RequestInProgressException("Idempotency-Key '" + key + "' is being claimed and released by other "
                + "requests at this moment");
    }

    /**
     * What the key already stands for, without claiming it: the stored answer, a request in progress,
     * another request's key, or nothing. Read-only, for answering a replay when no new order can be taken.
     */
    public Optional<Claim> existing(String key, String fingerprint) {
        return store.find(key).map(stored -> IdempotencyRules.standsFor(stored, fingerprint));
    }

    /**
     * Stores the response for replay. Must run in the transaction that creates the order, so that the
     * order and its key commit together or not at all.
     *
     * @throws ClaimLostException if the claim was taken over meanwhile; the caller's transaction must roll back
     */
    public void complete(String key, UUID token, StoredResponse response) {
        Optional<IdempotencyKeyRecord> current = store.findForUpdate(key);
        if (!IdempotencyRules.mayComplete(current, token)) {
            throw new ClaimLostException(key);
        }
        store.update(IdempotencyRules.completed(current.get(), response));
    }

    /** Forgets a claim whose request was rejected, so that the key can be used again. In a transaction of its own. */
    public void release(String key, UUID token) {
        if (IdempotencyRules.mayRelease(store.findForUpdate(key), token)) {
            store.delete(key);
        }
    }

    /** Deletes expired keys in batches; returns how many. */
    public long purgeExpired() {
        Instant now = clock.instant();
        long total = 0;
        int deleted;
        do {
            deleted = store.deleteExpired(now, properties.cleanupBatchSize());
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        return total;
    }
}
