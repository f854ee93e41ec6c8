package dev.sagaplatform.order.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Forgets keys past their retention, so the table does not grow with every order ever placed. */
@Component
class IdempotencyKeyCleanup {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleanup.class);

    private final IdempotencyKeys keys;

    IdempotencyKeyCleanup(IdempotencyKeys keys) {
        this.keys = keys;
    }

    @Scheduled(initialDelayString = "${orders.idempotency.cleanup-interval:1h}",
            fixedDelayString = "${orders.idempotency.cleanup-interval:1h}")
    void purge() {
        try {
            long deleted = keys.purgeExpired();
            if (deleted > 0) {
                log.info("deleted {} expired idempotency keys", deleted);
            }
        } catch (RuntimeException e) {
            // The next run retries; a failed cleanup must not disturb order placement.
            log.warn("idempotency key cleanup failed, retrying at the next interval: {}", e.toString());
        }
    }
}
