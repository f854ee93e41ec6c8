package dev.sagaplatform.order.orders.persistence;

import dev.sagaplatform.order.orders.TransactionRunner;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link TransactionRunner} on Spring's transaction manager. */
@Component
class SpringTransactionRunner implements TransactionRunner {

    private final TransactionTemplate transactions;

    SpringTransactionRunner(TransactionTemplate transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> T inOwnTransaction(Supplier<T> work) {
        // Joining a caller's transaction would hide the work's effects (an Idempotency-Key's claim, say) from
        // concurrent requests until that transaction commits.
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("work meant for a transaction of its own was started inside another");
        }
        return transactions.execute(status -> work.get());
    }
}
