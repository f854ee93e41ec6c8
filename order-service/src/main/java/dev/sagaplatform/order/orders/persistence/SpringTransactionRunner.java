package dev.sagaplatform.order.orders.persistence;

import dev.sagaplatform.order.orders.TransactionRunner;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
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
        return transactions.execute(status -> work.get());
    }
}
