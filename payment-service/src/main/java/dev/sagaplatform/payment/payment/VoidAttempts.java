package dev.sagaplatform.payment.payment;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which orders had a void sent for their charge key after the charge's outcome was unknown. Recorded
 * in a transaction of its own, before the void is sent, because the handler's transaction rolls back
 * when the void fails too, and the void may still reach the gateway later (a hung or slow request). If
 * the redelivered authorization then charged again, that late void would refund the new charge of an
 * order that ends APPROVED. So once a void was attempted, the order is only ever voided and declined.
 */
@Component
class VoidAttempts {

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;

    VoidAttempts(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void record(UUID orderId) {
        ownTransaction.executeWithoutResult(status -> jdbc.sql(
                "insert into payment_void_attempt (order_id) values (?) on conflict (order_id) do nothing")
                .param(orderId).update());
    }

    boolean attempted(UUID orderId) {
        return jdbc.sql("select exists (select 1 from payment_void_attempt where order_id = ?)")
                .param(orderId).query(Boolean.class).single();
    }
}
