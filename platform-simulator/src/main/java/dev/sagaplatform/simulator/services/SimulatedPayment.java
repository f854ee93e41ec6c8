package dev.sagaplatform.simulator.services;

import dev.sagaplatform.payment.customer.Customer;
import dev.sagaplatform.payment.payment.GatewayReturnRetries;
import dev.sagaplatform.payment.payment.Payment;
import dev.sagaplatform.payment.payment.Payments;
import dev.sagaplatform.payment.payment.domain.PaymentStatus;
import dev.sagaplatform.payment.payment.messaging.PaymentMessageHandlers;
import dev.sagaplatform.simulator.adapters.InMemoryPayments;
import dev.sagaplatform.simulator.node.Node;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.world.Workload;
import dev.sagaplatform.simulator.world.World;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * payment-service in the simulated world: its real handlers and {@link Payments} on in-memory stores, the gateway
 * model, and the sender of refunds and voids on its timer with the real {@link GatewayReturnRetries}.
 */
public final class SimulatedPayment {

    /** GatewayReturns runs every 500 ms, 20 rows per batch; retries 1 s .. 30 s, refusals every 5 min. */
    static final long RETURNS_INTERVAL_MICROS = 500_000;
    static final int RETURNS_BATCH = 20;
    static final GatewayReturnRetries RETRIES = new GatewayReturnRetries(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(5));

    private final World world;
    private final Database database;
    private final InMemoryPayments store;
    private final SimulatedGateway gateway;
    private final Node node;

    public SimulatedPayment(World world, Workload workload) {
        this.world = world;
        this.database = world.database("payment-service");
        this.store = new InMemoryPayments(database);
        this.gateway = new SimulatedGateway(world);
        database.inTransaction(() -> workload.customers().forEach(c -> store.add(new Customer(c.id(), c.id(), c.creditLimit()))));
        Payments payments = new Payments(store, store, gateway, store, world.clock(), world.random(), world.bugs(), world.meters());
        this.node = world.node("payment-service", database, new PaymentMessageHandlers(payments, store,
                world.outbox(database)).paymentSubscription());
        node.every(RETURNS_INTERVAL_MICROS, "gateway returns", this::sendDueReturns);
    }

    /** GatewayReturns.sendDue: each due row in turn; an unavailable gateway holds the rest of the batch back. */
    private void sendDueReturns() {
        long now = world.clock().micros();
        List<InMemoryPayments.PendingReturn> due = database.inTransaction(() -> store.due(now, RETURNS_BATCH));
        for (int i = 0; i < due.size(); i++) {
            InMemoryPayments.PendingReturn row = due.get(i);
            GatewayReturnRetries.Outcome outcome = gateway.refundOrVoid(row.orderId(), row.amount());
            if (node.maybeCrash(() -> "after sending the " + row.kind() + " of order " + row.orderId() + ", before recording it")) {
                return;
            }
            GatewayReturnRetries.Next next = RETRIES.after(outcome, row.attempts());
            long retryAt = now + next.retryAfter().toNanos() / 1000;
            if (next.done()) {
                database.inTransaction(() -> store.confirmed(row.orderId()));
            } else {
                database.inTransaction(() -> store.retryAt(row, retryAt));
                if (next.postponeRestOfBatch()) {
                    List<InMemoryPayments.PendingReturn> rest = due.subList(i + 1, due.size());
                    database.inTransaction(() -> rest.forEach(r -> store.postpone(r, retryAt)));
                    return;
                }
            }
        }
    }

    /**
     * Payment-service's books at this instant: per customer, the credit in use equals its AUTHORIZED payments, and no
     * available credit is negative; and the gateway holds at most one live charge per order.
     */
    public String booksBalance() {
        Map<String, BigDecimal> authorized = new LinkedHashMap<>();
        for (Payment payment : store.committedPayments()) {
            if (payment.status() == PaymentStatus.AUTHORIZED) {
                authorized.merge(payment.customerId(), payment.amount(), BigDecimal::add);
            }
        }
        for (Customer customer : store.committedCustomers()) {
            BigDecimal held = authorized.getOrDefault(customer.customerId(), BigDecimal.ZERO);
            if (customer.creditInUse().compareTo(held) != 0 || customer.availableCredit().signum() < 0) {
                return "money not conserved: customer " + customer.customerId() + " has " + customer.creditInUse()
                        + " of its credit in use (available " + customer.availableCredit() + ") but AUTHORIZED payments hold "
                        + held;
            }
        }
        return gateway.doubleCharge();
    }

    public InMemoryPayments store() {
        return store;
    }

    public SimulatedGateway gateway() {
        return gateway;
    }

    public Node node() {
        return node;
    }
}
