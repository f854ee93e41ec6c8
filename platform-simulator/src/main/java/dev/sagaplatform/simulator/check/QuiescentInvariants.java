package dev.sagaplatform.simulator.check;

import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.invariants.InvariantRules;
import dev.sagaplatform.invariants.PlatformSnapshot;
import dev.sagaplatform.invariants.Violation;
import dev.sagaplatform.order.idempotency.IdempotencyKeyRecord;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderItem;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.simulator.broker.Broker;
import dev.sagaplatform.simulator.node.Node;
import dev.sagaplatform.simulator.node.Relay;
import dev.sagaplatform.simulator.services.SimulatedInventory;
import dev.sagaplatform.simulator.services.SimulatedOrchestrator;
import dev.sagaplatform.simulator.services.SimulatedOrders;
import dev.sagaplatform.simulator.services.SimulatedPayment;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The invariants of DESIGN.md once every saga has ended, judged by the platform's own {@link InvariantRules} (the
 * rules {@code ./platform verify} and every chaos experiment apply to a real platform) on a snapshot of the
 * simulated world.
 */
public final class QuiescentInvariants {

    private QuiescentInvariants() {
    }

    /** Nothing left to do: every order ended, every outbox row published, every record consumed, no money to return. */
    public static boolean quiet(World world, SimulatedOrders orders, SimulatedPayment payment,
                                SimulatedOrchestrator orchestrator) {
        return whatIsPending(world, orders, payment, orchestrator) == null;
    }

    /** What keeps the world from being quiet, or null. */
    public static String whatIsPending(World world, SimulatedOrders orders, SimulatedPayment payment,
                                       SimulatedOrchestrator orchestrator) {
        for (Map.Entry<String, Relay> relay : world.relays().entrySet()) {
            if (!relay.getValue().caughtUp()) {
                return "the relay of " + relay.getKey() + " has unpublished outbox rows";
            }
        }
        for (Node node : world.nodes().values()) {
            if (!node.isUp()) {
                return node.name() + " is down";
            }
            if (node.group() != null && node.group().lag() > 0) {
                return node.name() + " has " + node.group().lag() + " record(s) not consumed and committed";
            }
        }
        for (var saga : orchestrator.sagas().committed()) {
            if (saga.saga().state() == SagaState.STARTED || saga.saga().state() == SagaState.COMPENSATING) {
                return "saga " + saga.saga().id() + " is still " + saga.saga().state();
            }
        }
        if (payment.store().pendingReturns() > 0) {
            return payment.store().pendingReturns() + " refund(s)/void(s) not yet confirmed by the gateway";
        }
        // Last: the dearest to ask, and with nothing in flight anywhere a PENDING order is rare (and a finding).
        long pending = orders.committedOrders().stream().filter(o -> o.status() == OrderStatus.PENDING).count();
        if (pending > 0) {
            return pending + " order(s) still PENDING";
        }
        return null;
    }

    /** @return the first violation, or null when every invariant holds */
    public static String check(World world, SimulatedOrders orders, SimulatedPayment payment, SimulatedInventory inventory,
                               SimulatedOrchestrator orchestrator) {
        List<Violation> violations = InvariantRules.evaluate(snapshot(world, orders, payment, inventory, orchestrator));
        if (violations.isEmpty()) {
            return null;
        }
        Violation first = violations.get(0);
        return "invariant " + first.invariant() + ": " + first.message();
    }

    static PlatformSnapshot snapshot(World world, SimulatedOrders orders, SimulatedPayment payment,
                                     SimulatedInventory inventory, SimulatedOrchestrator orchestrator) {
        List<PlatformSnapshot.Order> orderRows = new ArrayList<>();
        for (Order order : orders.committedOrders()) {
            Map<String, Long> lines = new LinkedHashMap<>();
            for (OrderItem item : order.items()) {
                lines.merge(item.sku(), (long) item.quantity(), Long::sum);
            }
            orderRows.add(new PlatformSnapshot.Order(order.id(), order.customerId(), order.status().name(), order.flow().name(),
                    order.total(), lines, order.createdAt()));
        }
        List<PlatformSnapshot.Saga> sagas = new ArrayList<>();
        orchestrator.sagas().committed().forEach(s -> sagas.add(new PlatformSnapshot.Saga(s.saga().id(), s.saga().orderId(),
                s.saga().state().name(), s.saga().step())));
        List<PlatformSnapshot.Payment> payments = new ArrayList<>();
        payment.store().committedPayments().forEach(p -> payments.add(new PlatformSnapshot.Payment(p.orderId(), p.status().name())));
        List<PlatformSnapshot.Customer> customers = new ArrayList<>();
        payment.store().committedCustomers().forEach(c -> customers.add(new PlatformSnapshot.Customer(c.customerId(),
                c.creditLimit(), c.availableCredit())));
        List<PlatformSnapshot.Charge> charges = new ArrayList<>();
        payment.gateway().charges().forEach(c -> charges.add(new PlatformSnapshot.Charge(c.orderId(), c.chargeId(), c.amount(),
                c.refundedAmount())));
        List<PlatformSnapshot.Reservation> reservations = new ArrayList<>();
        inventory.stock().committedReservations().forEach(r -> reservations.add(new PlatformSnapshot.Reservation(r.orderId(),
                r.status().name())));
        List<PlatformSnapshot.Product> products = new ArrayList<>();
        inventory.stock().committedProducts().forEach(p -> products.add(new PlatformSnapshot.Product(p.sku(), p.reserved())));
        List<PlatformSnapshot.IdempotencyKey> keys = new ArrayList<>();
        for (IdempotencyKeyRecord key : orders.committedKeys()) {
            keys.add(new PlatformSnapshot.IdempotencyKey(key.key(), key.state().name(),
                    key.response() == null ? null : key.response().status(),
                    key.response() == null ? null : key.response().orderId(), key.createdAt()));
        }
        List<PlatformSnapshot.ServiceMessages> services = new ArrayList<>();
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator")) {
            Database database = world.databases().get(service);
            List<PlatformSnapshot.OutboxRow> outbox = new ArrayList<>();
            for (Database.OutboxRow row : database.outbox()) {
                outbox.add(new PlatformSnapshot.OutboxRow(row.id(), MessageCatalog.of(row.message().getClass()).name(),
                        row.message().orderId().toString(), row.causationId(), row.createdAt()));
            }
            services.add(new PlatformSnapshot.ServiceMessages(service, outbox, database.processedIds()));
        }
        Set<UUID> published = new LinkedHashSet<>();
        for (Broker.Record record : world.broker().all()) {
            published.add(record.messageId());
        }
        return new PlatformSnapshot(orderRows, true, sagas, payments, customers, charges, reservations, products, keys,
                services, published);
    }
}
