package dev.sagaplatform.invariants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sagaplatform.invariants.PlatformSnapshot.Charge;
import dev.sagaplatform.invariants.PlatformSnapshot.Customer;
import dev.sagaplatform.invariants.PlatformSnapshot.IdempotencyKey;
import dev.sagaplatform.invariants.PlatformSnapshot.Order;
import dev.sagaplatform.invariants.PlatformSnapshot.OutboxRow;
import dev.sagaplatform.invariants.PlatformSnapshot.Payment;
import dev.sagaplatform.invariants.PlatformSnapshot.Product;
import dev.sagaplatform.invariants.PlatformSnapshot.Reservation;
import dev.sagaplatform.invariants.PlatformSnapshot.Saga;
import dev.sagaplatform.invariants.PlatformSnapshot.ServiceMessages;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each invariant on a snapshot where it holds and on one where it is broken the way a bug would break it. The world:
 * alice's choreographed order {@link #approved} was approved (charged 10.00, holds 2 of SKU-1), her orchestrated order
 * {@link #rejected} was declined (no charge, no stock, saga compensated); every message was published and applied once.
 */
class InvariantRulesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final UUID approved = id(1);
    private final UUID rejected = id(2);
    private final UUID rejectedSaga = id(3);
    private final UUID charge = id(4);
    private final UUID approvedCreated = id(11);
    private final UUID rejectedCreated = id(12);
    private final UUID paymentAuthorized = id(13);
    private final UUID stockReserved = id(14);
    private final UUID authorizePayment = id(15);
    private final UUID paymentDeclined = id(16);

    private final List<Order> orders = new ArrayList<>(List.of(
            new Order(approved, "alice", "APPROVED", "CHOREOGRAPHY", money("10.00"), Map.of("SKU-1", 2L), T0),
            new Order(rejected, "alice", "REJECTED", "ORCHESTRATION", money("5.00"), Map.of("SKU-1", 1L), T0.plusSeconds(1))));
    private boolean orchestrator = true;
    private final List<Saga> sagas = new ArrayList<>(List.of(new Saga(rejectedSaga, rejected, "COMPENSATED", "AUTHORIZE_PAYMENT")));
    private final List<Payment> payments = new ArrayList<>(List.of(new Payment(approved, "AUTHORIZED"), new Payment(rejected, "DECLINED")));
    private final List<Customer> customers = new ArrayList<>(List.of(new Customer("alice", money("100.00"), money("90.00"))));
    private final List<Charge> charges = new ArrayList<>(List.of(new Charge(approved, charge, money("10.00"), money("0.00"))));
    private final List<Reservation> reservations = new ArrayList<>(List.of(new Reservation(approved, "RESERVED")));
    private final List<Product> products = new ArrayList<>(List.of(new Product("SKU-1", 2), new Product("SKU-2", 0)));
    private final List<IdempotencyKey> keys = new ArrayList<>(List.of(
            new IdempotencyKey("key-approved", "COMPLETED", 202, approved, T0),
            new IdempotencyKey("key-rejected", "COMPLETED", 202, rejected, T0.plusSeconds(1))));
    private final List<OutboxRow> orderOutbox = new ArrayList<>(List.of(
            new OutboxRow(approvedCreated, "OrderCreated", approved.toString(), null, T0),
            new OutboxRow(rejectedCreated, "OrderCreated", rejected.toString(), null, T0.plusSeconds(1))));
    private final List<OutboxRow> paymentOutbox = new ArrayList<>(List.of(
            new OutboxRow(paymentAuthorized, "PaymentAuthorized", approved.toString(), approvedCreated, T0.plusMillis(100)),
            new OutboxRow(paymentDeclined, "AuthorizePaymentFailed", rejected.toString(), authorizePayment, T0.plusMillis(1200))));
    private final List<OutboxRow> inventoryOutbox = new ArrayList<>(List.of(
            new OutboxRow(stockReserved, "StockReserved", approved.toString(), paymentAuthorized, T0.plusMillis(200))));
    private final List<OutboxRow> orchestratorOutbox = new ArrayList<>(List.of(
            new OutboxRow(authorizePayment, "AuthorizePayment", rejected.toString(), rejectedCreated, T0.plusMillis(1100))));
    private final Set<UUID> paymentInbox = new HashSet<>(Set.of(approvedCreated, authorizePayment));
    private final Set<UUID> published = new HashSet<>(Set.of(approvedCreated, rejectedCreated, paymentAuthorized, stockReserved,
            authorizePayment, paymentDeclined));

    private PlatformSnapshot snapshot() {
        List<ServiceMessages> services = new ArrayList<>(List.of(
                new ServiceMessages("order-service", orderOutbox, Set.of(paymentDeclined, stockReserved)),
                new ServiceMessages("payment-service", paymentOutbox, paymentInbox),
                new ServiceMessages("inventory-service", inventoryOutbox, Set.of(paymentAuthorized))));
        if (orchestrator) {
            services.add(new ServiceMessages("saga-orchestrator", orchestratorOutbox, Set.of(rejectedCreated)));
        }
        return new PlatformSnapshot(orders, orchestrator, orchestrator ? sagas : List.of(), payments, customers, charges, reservations,
                products, keys, services, published);
    }

    private List<Violation> violations() {
        return InvariantRules.evaluate(snapshot());
    }

    @Test
    void aConsistentPlatformHoldsEveryInvariantAndIsCounted() {
        assertThat(violations()).isEmpty();
        assertThat(InvariantRules.counts(snapshot())).containsExactly(Map.entry("orders", 2L), Map.entry("approved", 1L),
                Map.entry("rejected", 1L), Map.entry("customers", 1L), Map.entry("charges", 1L), Map.entry("skus", 2L),
                Map.entry("outbox rows", 6L));
    }

    @Test
    void withoutTheOrchestratorOrchestratedOrdersNeedNoSaga() {
        orchestrator = false;

        assertThat(violations()).isEmpty();
    }

    // 1. Terminal and agreement

    @Test
    void anOrderStillPendingIsListed() {
        UUID pending = id(20);
        orders.add(new Order(pending, "alice", "PENDING", "CHOREOGRAPHY", money("1.00"), Map.of("SKU-2", 1L), T0.plusSeconds(2)));
        keys.add(new IdempotencyKey("key-pending", "COMPLETED", 202, pending, T0.plusSeconds(2)));

        assertThat(violations()).containsExactly(new Violation(1, "1 order(s) still PENDING after the settle time: " + pending,
                List.of(pending.toString()), List.of()));
    }

    @Test
    void manyPendingOrdersAreCountedBeyondTheFirstTwenty() {
        List<String> pending = IntStream.range(0, 25).mapToObj(i -> {
            UUID order = id(100 + i);
            orders.add(new Order(order, "alice", "PENDING", "CHOREOGRAPHY", money("1.00"), Map.of(), T0.plusSeconds(10 + i)));
            keys.add(new IdempotencyKey("key-" + i, "IN_PROGRESS", null, order, T0.plusSeconds(10 + i)));
            return order.toString();
        }).toList();

        assertThat(violations()).singleElement().satisfies(v -> {
            assertThat(v.invariant()).isEqualTo(1);
            assertThat(v.message()).isEqualTo("25 order(s) still PENDING after the settle time: "
                    + String.join(", ", pending.subList(0, 20)) + " and 5 more");
            assertThat(v.orderIds()).hasSize(25);
        });
    }

    @Test
    void aParkedOrRunningSagaIsReported() {
        sagas.set(0, new Saga(rejectedSaga, rejected, "STUCK", "REFUND_PAYMENT"));
        UUID running = id(21);
        UUID runningOrder = id(22);
        sagas.add(new Saga(running, runningOrder, "STARTED", "RESERVE_STOCK"));
        orders.add(new Order(runningOrder, "bob", "PENDING", "ORCHESTRATION", money("1.00"), Map.of(), T0.plusSeconds(2)));
        keys.add(new IdempotencyKey("key-running", "COMPLETED", 202, runningOrder, T0.plusSeconds(2)));

        assertThat(violations()).extracting(Violation::invariant, Violation::message).containsExactly(
                tuple(1, "1 order(s) still PENDING after the settle time: " + runningOrder),
                tuple(1, "saga " + rejectedSaga + " of order " + rejected + " is STUCK at step REFUND_PAYMENT"
                        + " (parked: POST /sagas/{id}/retry resumes it)"),
                tuple(1, "saga " + running + " of order " + runningOrder + " is STARTED at step RESERVE_STOCK"),
                tuple(1, "order " + rejected + " is REJECTED but its saga is STUCK"));
        assertThat(violations().get(1).rows()).containsExactly("saga_orchestrator.saga_instance id=" + rejectedSaga);
    }

    @Test
    void anApprovedOrderWhosePaymentWasRefundedDisagrees() {
        payments.set(0, new Payment(approved, "REFUNDED"));

        assertThat(violations()).containsExactly(new Violation(1, "order " + approved + " is APPROVED but its payment is REFUNDED",
                List.of(approved.toString()), List.of("order_service.orders id=" + approved, "payment_service.payment order_id=" + approved,
                "inventory_service.reservations order_id=" + approved)));
    }

    @Test
    void anApprovedOrderWithoutPaymentOrReservationDisagrees() {
        payments.remove(0);
        reservations.clear();

        assertThat(violations()).extracting(Violation::invariant, Violation::message).containsExactly(tuple(
                1, "order " + approved + " is APPROVED but its payment is missing, reservation is missing"));
    }

    @Test
    void aRejectedOrderStillHoldingStockOrACompletedSagaDisagrees() {
        reservations.add(new Reservation(rejected, "RESERVED"));
        sagas.set(0, new Saga(rejectedSaga, rejected, "COMPLETED", "APPROVE_ORDER"));

        assertThat(violations()).extracting(Violation::message).containsExactly(
                "order " + rejected + " is REJECTED but its reservation is RESERVED, saga is COMPLETED");
    }

    @Test
    void aPaymentForAnOrderNobodyPlacedIsReported() {
        UUID stranger = id(30);
        payments.add(new Payment(stranger, "DECLINED"));

        assertThat(violations()).containsExactly(new Violation(1, "payment-service has a payment for order " + stranger
                + ", which order-service does not know", List.of(stranger.toString()), List.of("payment_service.payment order_id=" + stranger)));
    }

    // 2. Money

    @Test
    void creditSpentThatNoApprovedOrderExplainsIsReported() {
        customers.set(0, new Customer("alice", money("100.00"), money("89.00")));
        customers.add(new Customer("bob", money("50.00"), money("50.00")));

        assertThat(violations()).containsExactly(new Violation(2, "customer alice spent 11.00 of its credit but its APPROVED orders total"
                + " 10.00 (difference 1.00)", List.of(approved.toString()), List.of("payment_service.customer customer_id=alice")));
    }

    @Test
    void anOrderChargedTwiceAtTheGatewayIsReported() {
        UUID second = id(40);
        charges.add(new Charge(approved, second, money("10.00"), money("0.00")));

        List<String> rows = List.of("payment_gateway.charge charge_id=" + charge, "payment_gateway.charge charge_id=" + second);
        assertThat(violations()).containsExactly(
                new Violation(2, "order " + approved + " was charged 2 times at the gateway", List.of(approved.toString()), rows),
                new Violation(2, "order " + approved + " is APPROVED but nets 20.00 at the gateway (expected 10.00)",
                        List.of(approved.toString()), rows));
    }

    @Test
    void aRejectedOrderNetsZeroAtTheGatewayOnlyOnceRefunded() {
        UUID refunded = id(41);
        charges.add(new Charge(rejected, refunded, money("5.00"), money("5.00")));
        assertThat(violations()).isEmpty();

        charges.set(1, new Charge(rejected, refunded, money("5.00"), money("2.00")));
        assertThat(violations()).containsExactly(new Violation(2, "order " + rejected + " is REJECTED but nets 3.00 at the gateway"
                + " (expected 0)", List.of(rejected.toString()), List.of("payment_gateway.charge charge_id=" + refunded)));
    }

    @Test
    void anApprovedOrderNeverChargedAtTheGatewayIsReported() {
        charges.clear();

        assertThat(violations()).extracting(Violation::invariant, Violation::message).containsExactly(tuple(
                2, "order " + approved + " is APPROVED but nets 0 at the gateway (expected 10.00)"));
    }

    // 3. Stock

    @Test
    void stockReservedThatNoApprovedOrderHoldsIsReported() {
        products.set(0, new Product("SKU-1", 3));

        assertThat(violations()).containsExactly(new Violation(3, "sku SKU-1 has 3 reserved but APPROVED orders hold 2",
                List.of(approved.toString()), List.of("inventory_service.products sku=SKU-1")));
    }

    @Test
    void stockThatAnApprovedOrderHoldsButNobodyReservedIsReported() {
        orders.set(0, new Order(approved, "alice", "APPROVED", "CHOREOGRAPHY", money("10.00"), Map.of("SKU-1", 2L, "SKU-2", 1L), T0));

        assertThat(violations()).extracting(Violation::invariant, Violation::message).containsExactly(tuple(
                3, "sku SKU-2 has 0 reserved but APPROVED orders hold 1"));
    }

    // 4. Published and applied once

    @Test
    void anOutboxRowNeverPublishedIsReported() {
        published.remove(stockReserved);

        assertThat(violations()).containsExactly(new Violation(4, "outbox row " + stockReserved + " of inventory-service was never published",
                List.of(), List.of("inventory_service.outbox id=" + stockReserved)));
    }

    @Test
    void aMessageAppliedTwiceIsReportedWithItsEffectsOldestFirst() {
        UUID again = id(50);
        paymentOutbox.add(0, new OutboxRow(again, "PaymentAuthorized", approved.toString(), approvedCreated, T0.plusMillis(150)));
        published.add(again);

        assertThat(violations()).containsExactly(new Violation(4, "payment-service applied message " + approvedCreated
                + " 2 times: its outbox holds 2 PaymentAuthorized caused by it", List.of(approved.toString()),
                List.of("payment_service.outbox id=" + paymentAuthorized, "payment_service.outbox id=" + again)));
    }

    @Test
    void twoMessagesOfDifferentTypesForOneCauseAreNotAppliedTwice() {
        UUID other = id(51);
        paymentOutbox.add(new OutboxRow(other, "PaymentCharged", approved.toString(), approvedCreated, T0.plusMillis(150)));
        published.add(other);

        assertThat(violations()).isEmpty();
    }

    @Test
    void aMessageAppliedWithoutTheInboxIsReported() {
        paymentInbox.remove(approvedCreated);

        assertThat(violations()).containsExactly(new Violation(4, "payment-service sent PaymentAuthorized " + paymentAuthorized
                + " caused by message " + approvedCreated + ", which its inbox never recorded", List.of(approved.toString()),
                List.of("payment_service.outbox id=" + paymentAuthorized)));
    }

    // 5. Idempotency keys

    @Test
    void aKeyAnswered202WithoutAnOrderIsReported() {
        keys.add(new IdempotencyKey("key-lost", "COMPLETED", 202, null, T0.plusSeconds(3)));
        keys.add(new IdempotencyKey("key-refused", "COMPLETED", 422, null, T0.plusSeconds(3)));
        keys.add(new IdempotencyKey("key-in-flight", "IN_PROGRESS", null, null, T0.plusSeconds(3)));

        assertThat(violations()).containsExactly(new Violation(5, "Idempotency-Key key-lost was answered 202 but maps to no order",
                List.of(), List.of("order_service.idempotency_key key=key-lost")));
    }

    @Test
    void anOrderInTheKeyWindowWithoutAKeyIsReported() {
        keys.remove(1);

        assertThat(violations()).containsExactly(new Violation(5, "order " + rejected + " was accepted under no Idempotency-Key",
                List.of(rejected.toString()), List.of("order_service.orders id=" + rejected)));
    }

    @Test
    void ordersOlderThanTheOldestKeptKeyNeedNoKey() {
        keys.remove(0);
        assertThat(violations()).isEmpty();

        keys.clear();
        assertThat(violations()).isEmpty();
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    private static UUID id(int n) {
        return new UUID(0, n);
    }
}
