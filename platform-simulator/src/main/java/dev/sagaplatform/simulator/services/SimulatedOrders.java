package dev.sagaplatform.simulator.services;

import dev.sagaplatform.order.idempotency.IdempotencyKeyRecord;
import dev.sagaplatform.order.idempotency.IdempotencyKeys;
import dev.sagaplatform.order.idempotency.IdempotencyProperties;
import dev.sagaplatform.order.idempotency.RequestInProgressException;
import dev.sagaplatform.order.orders.ChoreographyDeadline;
import dev.sagaplatform.order.orders.OrderMetrics;
import dev.sagaplatform.order.orders.OrderOutcomes;
import dev.sagaplatform.order.orders.OrderPlacement;
import dev.sagaplatform.order.orders.OrderProperties;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.order.orders.messaging.SagaOutcomeHandlers;
import dev.sagaplatform.order.orders.web.IdempotentOrderPlacement;
import dev.sagaplatform.order.remote.DependencyUnavailableException;
import dev.sagaplatform.order.admission.SagaAdmission;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.simulator.adapters.InMemoryOrders;
import dev.sagaplatform.simulator.node.Node;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.SimulatedCrash;
import dev.sagaplatform.simulator.world.Workload;
import dev.sagaplatform.simulator.world.World;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * order-service in the simulated world: {@code POST /orders} through the real {@link IdempotentOrderPlacement} (claim
 * the key, ask the other services, then save the order with its OrderCreated and complete the key), each step an
 * event of its own so that a concurrent request with the same key can come between them; the real saga-outcome
 * handlers; the choreography deadline on its timer.
 */
public final class SimulatedOrders {

    /** order-service's defaults: choreography deadline 2 min, checked every 5 s; claims taken over after 30 s. */
    static final OrderProperties PROPERTIES = new OrderProperties(SagaFlow.CHOREOGRAPHY,
            new OrderProperties.Choreography(Duration.ofMinutes(2), Duration.ofSeconds(5), 100));
    static final IdempotencyProperties KEYS = new IdempotencyProperties(Duration.ofHours(24), Duration.ofSeconds(30),
            Duration.ofHours(1), 1000);
    /** How long a client waits before it asks again after a 409 (request in progress) or no answer at all. */
    static final long CLIENT_RETRY_MICROS = 5_000_000;
    static final int CLIENT_ATTEMPTS = 30;
    /** Building a mapper and its serializers costs more than a whole schedule: one for every world. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final World world;
    private final Workload workload;
    private final Database database;
    private final InMemoryOrders store;
    private final IdempotentOrderPlacement placement;
    private final Node node;
    private final Map<String, Boolean> answered = new LinkedHashMap<>();

    public SimulatedOrders(World world, Workload workload, SimulatedPayment payment, SimulatedInventory inventory) {
        this.world = world;
        this.workload = workload;
        this.database = world.database("order-service");
        this.store = new InMemoryOrders(database);
        OrderMetrics metrics = new OrderMetrics(world.meters(), world.clock());
        OrderOutcomes outcomes = new OrderOutcomes(store, world.outbox(database), metrics, world.clock());
        // What the HTTP clients would answer: the catalogue's prices and the known customers (no faults on those calls).
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        workload.products().forEach(p -> prices.put(p.sku(), p.price()));
        List<String> customers = workload.customers().stream().map(Workload.Customer::id).toList();
        OrderPlacement orderPlacement = new OrderPlacement(
                customerId -> {
                    dependencyCall("payment-service");
                    return customers.contains(customerId);
                },
                skus -> {
                    dependencyCall("inventory-service");
                    Map<String, BigDecimal> known = new LinkedHashMap<>();
                    skus.forEach(sku -> {
                        if (prices.containsKey(sku)) {
                            known.put(sku, prices.get(sku));
                        }
                    });
                    return known;
                },
                store, world.outbox(database), metrics, world.clock(), world.random());
        this.placement = new IdempotentOrderPlacement(new IdempotencyKeys(store, KEYS, world.clock(), world.random()),
                orderPlacement, database::inTransaction, JSON,
                new SagaAdmission(new SagaAdmission.Settings(false, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1))));
        this.node = world.node("order-service", database, new SagaOutcomeHandlers(outcomes, world.outbox(database)).subscription());
        ChoreographyDeadline deadline = new ChoreographyDeadline(store, outcomes, database::inTransaction, PROPERTIES, world.clock());
        node.every(PROPERTIES.choreography().checkInterval().toNanos() / 1000, "choreography deadline", deadline::endOverdueOrders);
    }

    /** A call of order-service's resilient clients, which the dependencies fault makes fail after its retries. */
    private void dependencyCall(String dependency) {
        if (world.faults().dependencyFails()) {
            throw new DependencyUnavailableException(dependency, "no answer within the client's retries", null);
        }
    }

    /** Each planned order is a client's POST at its time; with the duplicate-post fault, a second client sends it too. */
    public void scheduleWorkload() {
        for (Workload.PlannedOrder order : workload.orders()) {
            answered.put(order.idempotencyKey(), false);
            world.loop().at(order.atMicros(), "POST /orders " + order.idempotencyKey(), () -> post(order, 1, "client"));
            if (world.faults().duplicatePost()) {
                world.loop().at(order.atMicros() + world.random().between(0, 50_000), "POST /orders " + order.idempotencyKey(),
                        () -> post(order, 1, "duplicate client"));
            }
        }
    }

    private void post(Workload.PlannedOrder planned, int attempt, String client) {
        String key = planned.idempotencyKey();
        OrderRequest request = new OrderRequest(planned.customerId(), planned.lines().stream()
                .map(l -> new OrderRequest.RequestedItem(l.sku(), l.quantity())).toList(), planned.flow());
        if (!node.isUp()) {
            if (world.recording()) {
                world.record(client + " POST /orders " + key + ": connection refused");
            }
            retryLater(planned, attempt, client);
            return;
        }
        IdempotentOrderPlacement.Claimed claimed;
        try {
            claimed = placement.claim(key, request);
        } catch (RequestInProgressException e) {
            if (world.recording()) {
                world.record(client + " POST /orders " + key + ": 409 " + e.getMessage());
            }
            retryLater(planned, attempt, client);
            return;
        } catch (SimulatedCrash crash) {
            node.crash(crash.getMessage());
            retryLater(planned, attempt, client);
            return;
        }
        if (claimed instanceof IdempotentOrderPlacement.Answered replay) {
            if (world.recording()) {
                world.record(client + " POST /orders " + key + ": replayed " + replay.result().response().status() + " order "
                        + replay.result().response().orderId());
            }
            answered.put(key, true);
            return;
        }
        IdempotentOrderPlacement.KeyOwned owned = (IdempotentOrderPlacement.KeyOwned) claimed;
        if (world.recording()) {
            world.record(client + " POST /orders " + key + ": claimed the key");
        }
        // The rest of the request is a later event: another request with this key can come in between.
        world.loop().after(world.random().between(500, 30_000), "complete POST /orders " + key,
                () -> complete(planned, owned, attempt, client));
    }

    private void complete(Workload.PlannedOrder planned, IdempotentOrderPlacement.KeyOwned owned, int attempt, String client) {
        if (!node.isUp() || node.maybeCrash(() -> "while placing the order of key " + owned.key())) {
            retryLater(planned, attempt, client); // the process died with the request: the client sees no answer
            return;
        }
        try {
            Order order = placement.prepare(owned);
            var response = placement.complete(owned, order);
            answered.put(owned.key(), true);
            if (world.recording()) {
                world.record(client + " POST /orders " + owned.key() + ": " + response.status() + " order " + response.orderId()
                        + " " + planned.flow() + " PENDING");
            }
        } catch (RequestInProgressException e) {
            if (world.recording()) {
                world.record(client + " POST /orders " + owned.key() + ": 409 " + e.getMessage());
            }
            retryLater(planned, attempt, client);
        } catch (DependencyUnavailableException e) {
            if (world.recording()) {
                world.record(client + " POST /orders " + owned.key() + ": 503 " + e.getMessage() + " (key released)");
            }
            retryLater(planned, attempt, client);
        }
    }

    private void retryLater(Workload.PlannedOrder planned, int attempt, String client) {
        if (attempt < CLIENT_ATTEMPTS && !answered.get(planned.idempotencyKey())) {
            world.loop().after(CLIENT_RETRY_MICROS, "retry POST /orders " + planned.idempotencyKey(),
                    () -> post(planned, attempt + 1, client));
        }
    }

    /** Every planned order has been answered (placed, or replayed to a duplicate). */
    public boolean allPlaced() {
        return !answered.containsValue(false);
    }

    public List<Order> committedOrders() {
        return store.committedOrders();
    }

    public List<IdempotencyKeyRecord> committedKeys() {
        return store.committedKeys();
    }

    public Node node() {
        return node;
    }
}
