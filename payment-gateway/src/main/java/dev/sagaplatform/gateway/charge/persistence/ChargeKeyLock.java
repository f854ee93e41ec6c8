package dev.sagaplatform.gateway.charge.persistence;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Serialises everything that touches one charge key. A unique constraint alone cannot stop a charge
 * and the refund that voids its key from both succeeding, because they write different tables.
 */
@Component
public class ChargeKeyLock {

    private final JdbcClient jdbc;

    ChargeKeyLock(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Held until the surrounding transaction ends; a hash collision only costs some waiting. */
    public void lockForTransaction(String chargeIdempotencyKey) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "charge-key:" + chargeIdempotencyKey)
                .query((rs, rowNum) -> Boolean.TRUE)
                .single();
    }
}
