package dev.sagaplatform.order.orders;

import java.util.function.Supplier;

/**
 * Runs work in a transaction of its own: committed when the work returns, rolled back when it throws. For the work
 * that must not share one transaction, such as ending each overdue order apart from the others. Spring's transaction
 * manager in production ({@code orders.persistence.SpringTransactionRunner}), the simulator's own transactions there.
 */
public interface TransactionRunner {

    /** Must be called outside any transaction, so that the work's transaction is really its own. */
    <T> T inOwnTransaction(Supplier<T> work);
}
