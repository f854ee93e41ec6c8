package dev.sagaplatform.invariants;

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
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The business invariants of DESIGN.md as plain rules over a {@link PlatformSnapshot}: the one copy that both the check
 * of a running platform ({@link InvariantCheck}) and the deterministic simulator evaluate. No I/O and no waiting: the
 * producer of the snapshot takes it once the platform is quiet.
 */
public final class InvariantRules {

    /** How many order ids a violation lists before it only counts the rest. */
    private static final int LISTED = 20;

    private static final Set<String> RUNNING_OR_PARKED = Set.of("STARTED", "COMPENSATING", "STUCK");

    // What each service may hold for an order that ended; null stands for "no row". Not Set.of: its contains(null) throws.
    private static final Set<String> APPROVED_PAYMENT = states("AUTHORIZED");
    private static final Set<String> APPROVED_RESERVATION = states("RESERVED");
    private static final Set<String> APPROVED_SAGA = states("COMPLETED");
    private static final Set<String> REJECTED_PAYMENT = states("DECLINED", "REFUNDED", "VOIDED", null);
    private static final Set<String> REJECTED_RESERVATION = states("RELEASED", "REJECTED", null);
    private static final Set<String> REJECTED_SAGA = states("COMPENSATED");

    private InvariantRules() {
    }

    /** Every broken invariant, in the order of DESIGN.md's list (the published rule before the applied-once rule). */
    public static List<Violation> evaluate(PlatformSnapshot snapshot) {
        List<Violation> violations = new ArrayList<>();
        checkTerminal(snapshot, violations);
        checkAgreement(snapshot, violations);
        checkMoney(snapshot, violations);
        checkGateway(snapshot, violations);
        checkStock(snapshot, violations);
        checkIdempotencyKeys(snapshot, violations);
        checkPublished(snapshot, violations);
        checkAppliedOnce(snapshot, violations);
        return List.copyOf(violations);
    }

    /** How much the rules looked at: orders (approved, rejected), customers, charges, SKUs and outbox rows. */
    public static Map<String, Long> counts(PlatformSnapshot snapshot) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("orders", (long) snapshot.orders().size());
        counts.put("approved", snapshot.orders().stream().filter(Order::approved).count());
        counts.put("rejected", snapshot.orders().stream().filter(o -> "REJECTED".equals(o.status())).count());
        counts.put("customers", (long) snapshot.customers().size());
        counts.put("charges", (long) snapshot.charges().size());
        counts.put("skus", (long) snapshot.products().size());
        counts.put("outbox rows", snapshot.services().stream().mapToLong(s -> s.outbox().size()).sum());
        return counts;
    }

    /** 1. Every accepted order is APPROVED or REJECTED; no saga stays running or parked. */
    private static void checkTerminal(PlatformSnapshot snapshot, List<Violation> violations) {
        List<String> pending = snapshot.orders().stream().filter(o -> "PENDING".equals(o.status())).map(o -> o.id().toString()).toList();
        if (!pending.isEmpty()) {
            violations.add(new Violation(1, pending.size() + " order(s) still PENDING after the settle time" + listed(pending),
                    pending, List.of()));
        }
        for (Saga saga : snapshot.sagas()) {
            if (RUNNING_OR_PARKED.contains(saga.state())) {
                violations.add(new Violation(1, "saga " + saga.id() + " of order " + saga.orderId() + " is " + saga.state() + " at step "
                        + saga.currentStep() + ("STUCK".equals(saga.state()) ? " (parked: POST /sagas/{id}/retry resumes it)" : ""),
                        List.of(saga.orderId().toString()), List.of("saga_orchestrator.saga_instance id=" + saga.id())));
            }
        }
    }

    /** 1. Every service tells the same story about each order. */
    private static void checkAgreement(PlatformSnapshot snapshot, List<Violation> violations) {
        Map<UUID, String> payments = new LinkedHashMap<>();
        for (Payment payment : snapshot.payments()) {
            payments.put(payment.orderId(), payment.status());
        }
        Map<UUID, String> reservations = new HashMap<>();
        for (Reservation reservation : snapshot.reservations()) {
            reservations.put(reservation.orderId(), reservation.status());
        }
        Map<UUID, String> sagas = new HashMap<>();
        for (Saga saga : snapshot.sagas()) {
            sagas.put(saga.orderId(), saga.state());
        }
        Set<UUID> known = new HashSet<>();
        for (Order order : snapshot.orders()) {
            known.add(order.id());
            if ("PENDING".equals(order.status())) {
                continue;
            }
            String payment = payments.get(order.id());
            String reservation = reservations.get(order.id());
            String saga = sagas.get(order.id());
            List<String> disagreements = new ArrayList<>();
            expect(disagreements, "payment", payment, order.approved() ? APPROVED_PAYMENT : REJECTED_PAYMENT);
            expect(disagreements, "reservation", reservation, order.approved() ? APPROVED_RESERVATION : REJECTED_RESERVATION);
            if ("ORCHESTRATION".equals(order.flow()) && snapshot.orchestrator()) {
                expect(disagreements, "saga", saga, order.approved() ? APPROVED_SAGA : REJECTED_SAGA);
            }
            if (!disagreements.isEmpty()) {
                violations.add(new Violation(1, "order " + order.id() + " is " + order.status() + " but its " + String.join(", ", disagreements),
                        List.of(order.id().toString()), List.of("order_service.orders id=" + order.id(), "payment_service.payment order_id="
                        + order.id(), "inventory_service.reservations order_id=" + order.id())));
            }
        }
        for (UUID orderId : payments.keySet()) {
            if (!known.contains(orderId)) {
                violations.add(new Violation(1, "payment-service has a payment for order " + orderId + ", which order-service does not know",
                        List.of(orderId.toString()), List.of("payment_service.payment order_id=" + orderId)));
            }
        }
    }

    private static void expect(List<String> disagreements, String what, String actual, Set<String> allowed) {
        if (!allowed.contains(actual)) {
            disagreements.add(what + " is " + (actual == null ? "missing" : actual));
        }
    }

    /** 2. For every customer, creditLimit − availableCredit = Σ totals of its APPROVED orders. */
    private static void checkMoney(PlatformSnapshot snapshot, List<Violation> violations) {
        Map<String, BigDecimal> approvedTotals = new HashMap<>();
        Map<String, List<String>> approvedOrders = new HashMap<>();
        for (Order order : snapshot.orders()) {
            if (order.approved()) {
                approvedTotals.merge(order.customerId(), order.total(), BigDecimal::add);
                approvedOrders.computeIfAbsent(order.customerId(), c -> new ArrayList<>()).add(order.id().toString());
            }
        }
        for (Customer customer : snapshot.customers()) {
            BigDecimal spent = customer.creditLimit().subtract(customer.availableCredit());
            BigDecimal approved = approvedTotals.getOrDefault(customer.customerId(), BigDecimal.ZERO);
            if (spent.compareTo(approved) != 0) {
                violations.add(new Violation(2, "customer " + customer.customerId() + " spent " + spent + " of its credit but its APPROVED"
                        + " orders total " + approved + " (difference " + spent.subtract(approved) + ")",
                        approvedOrders.getOrDefault(customer.customerId(), List.of()),
                        List.of("payment_service.customer customer_id=" + customer.customerId())));
            }
        }
    }

    /** 2. At the gateway: an APPROVED order is charged its total exactly once, a REJECTED order nets zero. */
    private static void checkGateway(PlatformSnapshot snapshot, List<Violation> violations) {
        Map<UUID, List<String>> chargeIds = new HashMap<>();
        Map<UUID, BigDecimal> net = new HashMap<>();
        for (Charge charge : snapshot.charges()) {
            chargeIds.computeIfAbsent(charge.orderId(), o -> new ArrayList<>()).add(charge.chargeId().toString());
            net.merge(charge.orderId(), charge.amount().subtract(charge.refundedAmount()), BigDecimal::add);
        }
        for (Order order : snapshot.orders()) {
            if ("PENDING".equals(order.status())) {
                continue;
            }
            List<String> ids = chargeIds.getOrDefault(order.id(), List.of());
            List<String> rows = ids.stream().map(id -> "payment_gateway.charge charge_id=" + id).toList();
            if (ids.size() > 1) {
                violations.add(new Violation(2, "order " + order.id() + " was charged " + ids.size() + " times at the gateway",
                        List.of(order.id().toString()), rows));
            }
            BigDecimal expected = order.approved() ? order.total() : BigDecimal.ZERO;
            BigDecimal actual = net.getOrDefault(order.id(), BigDecimal.ZERO);
            if (actual.compareTo(expected) != 0) {
                violations.add(new Violation(2, "order " + order.id() + " is " + order.status() + " but nets " + actual
                        + " at the gateway (expected " + expected + ")", List.of(order.id().toString()), rows));
            }
        }
    }

    /** 3. For every SKU, reserved = Σ quantities in APPROVED orders (a REJECTED order holds no stock). */
    private static void checkStock(PlatformSnapshot snapshot, List<Violation> violations) {
        Map<String, Long> approvedQuantities = new HashMap<>();
        Map<String, List<String>> holders = new HashMap<>();
        for (Order order : snapshot.orders()) {
            if (order.approved()) {
                order.lines().forEach((sku, quantity) -> {
                    approvedQuantities.merge(sku, quantity, Long::sum);
                    holders.computeIfAbsent(sku, s -> new ArrayList<>()).add(order.id().toString());
                });
            }
        }
        for (Product product : snapshot.products()) {
            long held = approvedQuantities.getOrDefault(product.sku(), 0L);
            if (product.reserved() != held) {
                violations.add(new Violation(3, "sku " + product.sku() + " has " + product.reserved() + " reserved but APPROVED orders hold "
                        + held, holders.getOrDefault(product.sku(), List.of()), List.of("inventory_service.products sku=" + product.sku())));
            }
        }
    }

    /**
     * 5. Every accepted Idempotency-Key maps to exactly one order, and every order still in the key window (accepted no
     * earlier than the oldest key kept) has its key.
     */
    private static void checkIdempotencyKeys(PlatformSnapshot snapshot, List<Violation> violations) {
        Set<UUID> keyed = new HashSet<>();
        Instant windowStart = null;
        for (IdempotencyKey key : snapshot.idempotencyKeys()) {
            if ("COMPLETED".equals(key.state()) && Integer.valueOf(202).equals(key.responseStatus()) && key.orderId() == null) {
                violations.add(new Violation(5, "Idempotency-Key " + key.key() + " was answered 202 but maps to no order", List.of(),
                        List.of("order_service.idempotency_key key=" + key.key())));
            }
            if (key.orderId() != null) {
                keyed.add(key.orderId());
            }
            windowStart = windowStart == null || key.createdAt().isBefore(windowStart) ? key.createdAt() : windowStart;
        }
        if (windowStart == null) {
            return;
        }
        for (Order order : snapshot.orders()) {
            if (!order.createdAt().isBefore(windowStart) && !keyed.contains(order.id())) {
                violations.add(new Violation(5, "order " + order.id() + " was accepted under no Idempotency-Key",
                        List.of(order.id().toString()), List.of("order_service.orders id=" + order.id())));
            }
        }
    }

    /** 4. Every outbox row was published at least once: its id is the event id of a message on a platform topic. */
    private static void checkPublished(PlatformSnapshot snapshot, List<Violation> violations) {
        for (ServiceMessages service : snapshot.services()) {
            for (OutboxRow row : service.outbox()) {
                if (!snapshot.publishedEventIds().contains(row.id())) {
                    violations.add(new Violation(4, "outbox row " + row.id() + " of " + service.service() + " was never published", List.of(),
                            List.of(outboxTable(service) + " id=" + row.id())));
                }
            }
        }
    }

    /**
     * 4. No consumer applied the same message twice. The inbox cannot show it (it refuses a second row for a message), so
     * the rule looks at the effects: each outbox row written while a message was handled names that message (its
     * causation id). No handler sends two messages of one type for one message it handles, so two such rows mean the
     * message was applied twice; and a cause that the service's inbox does not hold was applied without the inbox. Rows
     * that no message caused (HTTP requests, deadline and retry pollers, operators) have no cause and are not looked at.
     * A kept row's cause is still in the inbox because the inbox must outlive the outbox anyway (a relay re-snapshot
     * republishes every kept outbox row, which only the inbox turns into a no-op): 14 d against 7 d.
     */
    private static void checkAppliedOnce(PlatformSnapshot snapshot, List<Violation> violations) {
        for (ServiceMessages service : snapshot.services()) {
            String table = outboxTable(service);
            Map<Effect, List<OutboxRow>> effects = new LinkedHashMap<>();
            for (OutboxRow row : service.outbox()) {
                if (row.causationId() != null) {
                    effects.computeIfAbsent(new Effect(row.causationId(), row.type()), e -> new ArrayList<>(1)).add(row);
                }
            }
            effects.forEach((effect, rows) -> {
                if (rows.size() > 1) {
                    List<OutboxRow> oldestFirst = rows.stream().sorted(Comparator.comparing(OutboxRow::createdAt)).toList();
                    String order = oldestFirst.stream().map(OutboxRow::aggregateId).min(Comparator.naturalOrder()).orElseThrow();
                    violations.add(new Violation(4, service.service() + " applied message " + effect.causationId() + " " + rows.size()
                            + " times: its outbox holds " + rows.size() + " " + effect.type() + " caused by it", List.of(order),
                            oldestFirst.stream().map(row -> table + " id=" + row.id()).toList()));
                }
            });
            for (OutboxRow row : service.outbox()) {
                if (row.causationId() != null && !service.processedMessageIds().contains(row.causationId())) {
                    violations.add(new Violation(4, service.service() + " sent " + row.type() + " " + row.id() + " caused by message "
                            + row.causationId() + ", which its inbox never recorded", List.of(row.aggregateId()),
                            List.of(table + " id=" + row.id())));
                }
            }
        }
    }

    /** What handling one message wrote of one type: more than one row per effect means the message was applied twice. */
    private record Effect(UUID causationId, String type) {
    }

    private static Set<String> states(String... states) {
        return Collections.unmodifiableSet(new HashSet<>(Arrays.asList(states)));
    }

    private static String outboxTable(ServiceMessages service) {
        return service.service().replace('-', '_') + ".outbox";
    }

    private static String listed(List<String> ids) {
        return ": " + String.join(", ", ids.subList(0, Math.min(LISTED, ids.size()))) + (ids.size() > LISTED ? " and "
                + (ids.size() - LISTED) + " more" : "");
    }
}
