package dev.sagaplatform.simulator.adapters;

import dev.sagaplatform.payment.customer.Customer;
import dev.sagaplatform.payment.customer.CustomerStore;
import dev.sagaplatform.payment.payment.GatewayReturnQueue;
import dev.sagaplatform.payment.payment.Payment;
import dev.sagaplatform.payment.payment.PaymentStore;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.Table;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The simulator's adapters of payment-service's {@link PaymentStore}, {@link CustomerStore} and {@link GatewayReturnQueue}. */
public final class InMemoryPayments implements PaymentStore, CustomerStore, GatewayReturnQueue {

    /** A row of {@code gateway_return}: money to give back at the gateway, and when to try next. */
    public record PendingReturn(UUID orderId, Kind kind, BigDecimal amount, int attempts, long nextAttemptMicros) {
    }

    private final Table<String, Customer> customers;
    private final Table<UUID, Payment> payments;
    private final Table<UUID, PendingReturn> returns;

    public InMemoryPayments(Database database) {
        this.customers = database.table("customer");
        this.payments = database.table("payment");
        this.returns = database.table("gateway_return");
    }

    /** Seeds a customer, in its own transaction. */
    public void add(Customer customer) {
        customers.save(customer.customerId(), customer);
    }

    @Override
    public Optional<Customer> findForUpdate(String customerId) {
        return customers.find(customerId);
    }

    @Override
    public Optional<Payment> findForUpdate(UUID orderId) {
        return payments.find(orderId);
    }

    @Override
    public Optional<String> findCustomerId(UUID orderId) {
        return payments.find(orderId).map(Payment::customerId);
    }

    @Override
    public Payment save(Payment payment) {
        payments.save(payment.orderId(), payment);
        return payment;
    }

    @Override
    public void schedule(UUID orderId, Kind kind, BigDecimal amount) {
        // New rows are due at once; an order has at most one return (insert ... on conflict do nothing).
        returns.insert(orderId, new PendingReturn(orderId, kind, amount, 0, 0));
    }

    /** The returns due at {@code nowMicros}, oldest due first, at most {@code limit}. */
    public List<PendingReturn> due(long nowMicros, int limit) {
        return returns.scan(r -> r.nextAttemptMicros() <= nowMicros).stream()
                .sorted(Comparator.comparingLong(PendingReturn::nextAttemptMicros))
                .limit(limit)
                .toList();
    }

    public void confirmed(UUID orderId) {
        returns.delete(orderId);
    }

    public void retryAt(PendingReturn row, long nextAttemptMicros) {
        returns.save(row.orderId(), new PendingReturn(row.orderId(), row.kind(), row.amount(), row.attempts() + 1,
                nextAttemptMicros));
    }

    public void postpone(PendingReturn row, long nextAttemptMicros) {
        returns.save(row.orderId(), new PendingReturn(row.orderId(), row.kind(), row.amount(), row.attempts(),
                nextAttemptMicros));
    }

    public int pendingReturns() {
        return returns.size();
    }

    public Iterable<Customer> committedCustomers() {
        return customers.committedRows();
    }

    public Iterable<Payment> committedPayments() {
        return payments.committedRows();
    }
}
