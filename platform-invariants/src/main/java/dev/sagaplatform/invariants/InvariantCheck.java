package dev.sagaplatform.invariants;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The business invariants of DESIGN.md, checked against a running platform: every accepted order ended
 * and agrees across services, money and stock balance, nothing was charged twice, every outbox row was
 * published, no message was applied twice, every accepted idempotency key has its order. It reads each
 * service's own database (a consistent snapshot per service, and it still works while a service's HTTP
 * side is down) and, for "published", the topics themselves. {@code ./platform verify}, every chaos experiment's verdict and
 * the end-to-end tests use this one check.
 */
public final class InvariantCheck {

    /** How many order ids a violation lists before it only counts the rest. */
    private static final int LISTED = 20;
    /** How long the check waits by default for the relay to publish outbox rows it has not published yet. */
    public static final Duration DEFAULT_PUBLISHED_WAIT = Duration.ofSeconds(60);
    /** How long one read of the topics may take; separate from the wait, so a short wait still reads them all. */
    private static final Duration TOPIC_READ_TIMEOUT = Duration.ofSeconds(60);

    private final PlatformAccess platform;
    private final Consumer<String> progress;
    private final Duration publishedWait;

    public InvariantCheck(PlatformAccess platform, Consumer<String> progress) {
        this(platform, progress, DEFAULT_PUBLISHED_WAIT);
    }

    /**
     * @param publishedWait how long an outbox row may stay unpublished (the relay catching up after a fault)
     *                      before it is a violation; the topics are read at least once whatever the wait
     */
    public InvariantCheck(PlatformAccess platform, Consumer<String> progress, Duration publishedWait) {
        if (publishedWait.isNegative()) {
            throw new IllegalArgumentException("publishedWait must not be negative: " + publishedWait);
        }
        this.platform = platform;
        this.progress = progress;
        this.publishedWait = publishedWait;
    }

    /** What the check found, with the counts it looked at. */
    public record Verdict(List<Violation> violations, Map<String, Long> counts, Duration settled) {

        public boolean holds() {
            return violations.isEmpty();
        }
    }

    /**
     * Waits up to {@code settle} until no order is PENDING and no saga is running, then checks every
     * invariant; what did not end within {@code settle} is itself a violation.
     */
    public Verdict check(Duration settle) {
        long begin = System.nanoTime();
        awaitQuiet(settle);
        Duration settled = Duration.ofNanos(System.nanoTime() - begin);
        List<Violation> violations = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            Map<UUID, Order> orders = orders();
            counts.put("orders", (long) orders.size());
            counts.put("approved", orders.values().stream().filter(Order::approved).count());
            counts.put("rejected", orders.values().stream().filter(o -> "REJECTED".equals(o.status)).count());
            checkTerminal(orders, violations);
            checkAgreement(orders, violations);
            checkMoney(orders, violations, counts);
            checkGateway(orders, violations, counts);
            checkStock(orders, violations, counts);
            checkIdempotencyKeys(violations);
            checkPublished(violations, counts);
            checkAppliedOnce(violations);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot read a service database: " + ex.getMessage(), ex);
        }
        return new Verdict(List.copyOf(violations), counts, settled);
    }

    private record Order(UUID id, String customerId, String status, String flow, BigDecimal total, Map<String, Long> lines) {

        boolean approved() {
            return "APPROVED".equals(status);
        }
    }

    private void awaitQuiet(Duration settle) {
        long deadline = System.nanoTime() + settle.toNanos();
        boolean told = false;
        while (true) {
            long running;
            try {
                running = count(PlatformAccess.ORDER, "select count(*) from orders where status = 'PENDING'")
                        + (hasOrchestrator() ? count(PlatformAccess.ORCHESTRATOR,
                        "select count(*) from saga_instance where state in ('STARTED', 'COMPENSATING')") : 0)
                        // Refunds and voids payment-service has decided but the gateway has not confirmed yet.
                        + count(PlatformAccess.PAYMENT, "select count(*) from gateway_return where not refused");
            }
            catch (SQLException ex) {
                running = -1; // a database restarting: keep waiting within the bound
            }
            if (running == 0 || System.nanoTime() > deadline) {
                return;
            }
            if (!told) {
                progress.accept("waiting up to " + settle.toSeconds() + " s for " + (running < 0 ? "the databases"
                        : running + " order(s), saga(s) and gateway refund(s) in flight") + " to end");
                told = true;
            }
            sleep(500);
        }
    }

    /** 1. Every accepted order is APPROVED or REJECTED; no saga stays running or parked. */
    private void checkTerminal(Map<UUID, Order> orders, List<Violation> violations) throws SQLException {
        List<String> pending = orders.values().stream().filter(o -> "PENDING".equals(o.status)).map(o -> o.id.toString()).toList();
        if (!pending.isEmpty()) {
            violations.add(new Violation(1, pending.size() + " order(s) still PENDING after the settle time" + listed(pending),
                    pending, List.of()));
        }
        if (hasOrchestrator()) {
            query(PlatformAccess.ORCHESTRATOR, "select id, order_id, state, current_step, reason from saga_instance"
                    + " where state in ('STARTED', 'COMPENSATING', 'STUCK') order by created_at", row -> violations.add(new Violation(1,
                    "saga " + row.getString(1) + " of order " + row.getString(2) + " is " + row.getString(3) + " at step "
                            + row.getString(4) + ("STUCK".equals(row.getString(3)) ? " (parked: POST /sagas/{id}/retry resumes it)" : ""),
                    List.of(row.getString(2)), List.of("saga_orchestrator.saga_instance id=" + row.getString(1)))));
        }
    }

    /** 1. Every service tells the same story about each order. */
    private void checkAgreement(Map<UUID, Order> orders, List<Violation> violations) throws SQLException {
        Map<UUID, String> payments = new HashMap<>();
        query(PlatformAccess.PAYMENT, "select order_id, status from payment", row -> payments.put(uuid(row, 1), row.getString(2)));
        Map<UUID, String> reservations = new HashMap<>();
        query(PlatformAccess.INVENTORY, "select order_id, status from reservations", row -> reservations.put(uuid(row, 1), row.getString(2)));
        Map<UUID, String> sagas = new HashMap<>();
        if (hasOrchestrator()) {
            query(PlatformAccess.ORCHESTRATOR, "select order_id, state from saga_instance", row -> sagas.put(uuid(row, 1), row.getString(2)));
        }
        for (Order order : orders.values()) {
            if ("PENDING".equals(order.status)) {
                continue;
            }
            String payment = payments.get(order.id);
            String reservation = reservations.get(order.id);
            String saga = sagas.get(order.id);
            List<String> disagreements = new ArrayList<>();
            if (order.approved()) {
                expect(disagreements, "payment", payment, Set.of("AUTHORIZED"));
                expect(disagreements, "reservation", reservation, Set.of("RESERVED"));
                if ("ORCHESTRATION".equals(order.flow) && hasOrchestrator()) {
                    expect(disagreements, "saga", saga, Set.of("COMPLETED"));
                }
            }
            else {
                Set<String> noMoney = new HashSet<>(Set.of("DECLINED", "REFUNDED", "VOIDED"));
                noMoney.add(null);
                Set<String> noStock = new HashSet<>(Set.of("RELEASED", "REJECTED"));
                noStock.add(null);
                expect(disagreements, "payment", payment, noMoney);
                expect(disagreements, "reservation", reservation, noStock);
                if ("ORCHESTRATION".equals(order.flow) && hasOrchestrator()) {
                    expect(disagreements, "saga", saga, Set.of("COMPENSATED"));
                }
            }
            if (!disagreements.isEmpty()) {
                violations.add(new Violation(1, "order " + order.id + " is " + order.status + " but its " + String.join(", ", disagreements),
                        List.of(order.id.toString()), List.of("order_service.orders id=" + order.id, "payment_service.payment order_id=" + order.id,
                        "inventory_service.reservations order_id=" + order.id)));
            }
        }
        for (UUID orderId : payments.keySet()) {
            if (!orders.containsKey(orderId)) {
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
    private void checkMoney(Map<UUID, Order> orders, List<Violation> violations, Map<String, Long> counts) throws SQLException {
        Map<String, BigDecimal> approvedTotals = new HashMap<>();
        Map<String, List<String>> approvedOrders = new HashMap<>();
        for (Order order : orders.values()) {
            if (order.approved()) {
                approvedTotals.merge(order.customerId, order.total, BigDecimal::add);
                approvedOrders.computeIfAbsent(order.customerId, c -> new ArrayList<>()).add(order.id.toString());
            }
        }
        long[] customers = {0};
        query(PlatformAccess.PAYMENT, "select customer_id, credit_limit, available_credit from customer", row -> {
            customers[0]++;
            String customer = row.getString(1);
            BigDecimal spent = row.getBigDecimal(2).subtract(row.getBigDecimal(3));
            BigDecimal approved = approvedTotals.getOrDefault(customer, BigDecimal.ZERO);
            if (spent.compareTo(approved) != 0) {
                List<String> involved = approvedOrders.getOrDefault(customer, List.of());
                violations.add(new Violation(2, "customer " + customer + " spent " + spent + " of its credit but its APPROVED orders total "
                        + approved + " (difference " + spent.subtract(approved) + ")", involved,
                        List.of("payment_service.customer customer_id=" + customer)));
            }
        });
        counts.put("customers", customers[0]);
    }

    /** 2. At the gateway: an APPROVED order is charged its total exactly once, a REJECTED order nets zero. */
    private void checkGateway(Map<UUID, Order> orders, List<Violation> violations, Map<String, Long> counts) throws SQLException {
        Map<UUID, List<String>> chargeIds = new HashMap<>();
        Map<UUID, BigDecimal> net = new HashMap<>();
        long[] charges = {0};
        query(PlatformAccess.GATEWAY, "select order_id, charge_id, amount - refunded_amount from charge", row -> {
            charges[0]++;
            chargeIds.computeIfAbsent(uuid(row, 1), o -> new ArrayList<>()).add(row.getString(2));
            net.merge(uuid(row, 1), row.getBigDecimal(3), BigDecimal::add);
        });
        counts.put("charges", charges[0]);
        for (Order order : orders.values()) {
            if ("PENDING".equals(order.status)) {
                continue;
            }
            List<String> ids = chargeIds.getOrDefault(order.id, List.of());
            List<String> rows = ids.stream().map(id -> "payment_gateway.charge charge_id=" + id).toList();
            if (ids.size() > 1) {
                violations.add(new Violation(2, "order " + order.id + " was charged " + ids.size() + " times at the gateway",
                        List.of(order.id.toString()), rows));
            }
            BigDecimal expected = order.approved() ? order.total : BigDecimal.ZERO;
            BigDecimal actual = net.getOrDefault(order.id, BigDecimal.ZERO);
            if (actual.compareTo(expected) != 0) {
                violations.add(new Violation(2, "order " + order.id + " is " + order.status + " but nets " + actual
                        + " at the gateway (expected " + expected + ")", List.of(order.id.toString()), rows));
            }
        }
    }

    /** 3. For every SKU, reserved = Σ quantities in APPROVED orders (a REJECTED order holds no stock). */
    private void checkStock(Map<UUID, Order> orders, List<Violation> violations, Map<String, Long> counts) throws SQLException {
        Map<String, Long> approvedQuantities = new HashMap<>();
        Map<String, List<String>> holders = new HashMap<>();
        for (Order order : orders.values()) {
            if (order.approved()) {
                order.lines.forEach((sku, quantity) -> {
                    approvedQuantities.merge(sku, quantity, Long::sum);
                    holders.computeIfAbsent(sku, s -> new ArrayList<>()).add(order.id.toString());
                });
            }
        }
        long[] skus = {0};
        query(PlatformAccess.INVENTORY, "select sku, reserved from products", row -> {
            skus[0]++;
            String sku = row.getString(1);
            long reserved = row.getLong(2);
            long held = approvedQuantities.getOrDefault(sku, 0L);
            if (reserved != held) {
                violations.add(new Violation(3, "sku " + sku + " has " + reserved + " reserved but APPROVED orders hold " + held,
                        holders.getOrDefault(sku, List.of()), List.of("inventory_service.products sku=" + sku)));
            }
        });
        counts.put("skus", skus[0]);
    }

    /** 5. Every accepted Idempotency-Key maps to exactly one order, and every order still in the key window has its key. */
    private void checkIdempotencyKeys(List<Violation> violations) throws SQLException {
        query(PlatformAccess.ORDER, "select idempotency_key from idempotency_key where state = 'COMPLETED' and response_status = 202"
                + " and order_id is null", row -> violations.add(new Violation(5, "Idempotency-Key " + row.getString(1)
                + " was answered 202 but maps to no order", List.of(), List.of("order_service.idempotency_key key=" + row.getString(1)))));
        query(PlatformAccess.ORDER, "select o.id from orders o where o.created_at >= (select min(created_at) from idempotency_key)"
                + " and not exists (select 1 from idempotency_key k where k.order_id = o.id)", row -> violations.add(new Violation(5,
                "order " + row.getString(1) + " was accepted under no Idempotency-Key", List.of(row.getString(1)),
                List.of("order_service.orders id=" + row.getString(1)))));
    }

    /** 4. Every outbox row was published at least once: its id is the event-id header of a record on a platform topic. */
    private void checkPublished(List<Violation> violations, Map<String, Long> counts) throws SQLException {
        Map<UUID, String> outbox = new HashMap<>();
        Instant oldest = null;
        for (String service : outboxServices()) {
            try (Connection connection = platform.databases().open(service);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select id, created_at from outbox")) {
                while (rows.next()) {
                    outbox.put(rows.getObject(1, UUID.class), service);
                    Instant created = rows.getTimestamp(2).toInstant();
                    oldest = oldest == null || created.isBefore(oldest) ? created : oldest;
                }
            }
        }
        counts.put("outbox rows", (long) outbox.size());
        if (outbox.isEmpty()) {
            return;
        }
        Set<UUID> unpublished = new HashSet<>(outbox.keySet());
        long deadline = System.nanoTime() + publishedWait.toNanos();
        // The relay may still be catching up after a fault: read again until everything shows up or the bound passes.
        while (true) {
            unpublished.removeAll(publishedEventIds(oldest.minusSeconds(60)));
            if (unpublished.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            progress.accept("waiting for the relay to publish " + unpublished.size() + " outbox row(s)");
            sleep(2000);
        }
        for (UUID id : unpublished) {
            violations.add(new Violation(4, "outbox row " + id + " of " + outbox.get(id) + " was never published", List.of(),
                    List.of(outbox.get(id).replace('-', '_') + ".outbox id=" + id)));
        }
    }

    /**
     * 4. No consumer applied the same message twice. The inbox cannot show it (its primary key refuses a second row),
     * so the check looks at the effects: each outbox row written while a message was handled names that message
     * ({@code causation_id}). No handler sends two messages of one type for one message it handles, so two such rows
     * mean the message was applied twice; and a cause that the service's inbox does not hold was applied without
     * the inbox. Rows that no message caused (HTTP requests, deadline and retry pollers, operators) have no cause and
     * are not looked at. A kept row's cause is still in the inbox because the inbox must outlive the outbox anyway (a
     * relay re-snapshot republishes every kept outbox row, which only the inbox turns into a no-op): 14 d against 7 d.
     */
    private void checkAppliedOnce(List<Violation> violations) throws SQLException {
        for (String service : outboxServices()) {
            String table = service.replace('-', '_') + ".outbox";
            query(service, "select causation_id, type, string_agg(id::text, ',' order by created_at), min(aggregateid)"
                    + " from outbox where causation_id is not null group by causation_id, type having count(*) > 1", row -> {
                List<String> ids = List.of(row.getString(3).split(","));
                violations.add(new Violation(4, service + " applied message " + row.getString(1) + " " + ids.size()
                        + " times: its outbox holds " + ids.size() + " " + row.getString(2) + " caused by it",
                        List.of(row.getString(4)), ids.stream().map(id -> table + " id=" + id).toList()));
            });
            query(service, "select o.id, o.causation_id, o.type, o.aggregateid from outbox o where o.causation_id is not null"
                    + " and not exists (select 1 from processed_message p where p.message_id = o.causation_id)", row ->
                    violations.add(new Violation(4, service + " sent " + row.getString(3) + " " + row.getString(1)
                            + " caused by message " + row.getString(2) + ", which its inbox never recorded",
                            List.of(row.getString(4)), List.of(table + " id=" + row.getString(1)))));
        }
    }

    private List<String> outboxServices() {
        List<String> services = new ArrayList<>(List.of(PlatformAccess.ORDER, PlatformAccess.PAYMENT, PlatformAccess.INVENTORY));
        if (hasOrchestrator()) {
            services.add(PlatformAccess.ORCHESTRATOR);
        }
        return services;
    }

    /** Event ids on every platform topic from {@code since} (by record timestamp) to the end. */
    private Set<UUID> publishedEventIds(Instant since) {
        Set<UUID> ids = new HashSet<>();
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics(Duration.ofSeconds(30)).forEach((topic, infos) -> {
                if (Topics.ALL.contains(topic)) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            });
            consumer.assign(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = start.get(partition);
                consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
            }
            long deadline = System.nanoTime() + TOPIC_READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    Header header = record.headers().lastHeader(Headers.EVENT_ID);
                    if (header != null) {
                        ids.add(UUID.fromString(new String(header.value(), StandardCharsets.UTF_8)));
                    }
                });
            }
        }
        return ids;
    }

    private Map<UUID, Order> orders() throws SQLException {
        Map<UUID, Map<String, Long>> lines = new HashMap<>();
        query(PlatformAccess.ORDER, "select order_id, sku, quantity from order_line", row ->
                lines.computeIfAbsent(uuid(row, 1), o -> new HashMap<>()).merge(row.getString(2), row.getLong(3), Long::sum));
        Map<UUID, Order> orders = new LinkedHashMap<>();
        query(PlatformAccess.ORDER, "select id, customer_id, status, flow, total from orders order by created_at", row -> {
            UUID id = uuid(row, 1);
            orders.put(id, new Order(id, row.getString(2), row.getString(3), row.getString(4), row.getBigDecimal(5),
                    lines.getOrDefault(id, Map.of())));
        });
        return orders;
    }

    private boolean hasOrchestrator() {
        return platform.orchestrator();
    }

    private long count(String service, String sql) throws SQLException {
        long[] count = {0};
        query(service, sql, row -> count[0] = row.getLong(1));
        return count[0];
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }

    private void query(String service, String sql, RowHandler handler) throws SQLException {
        try (Connection connection = platform.databases().open(service)) {
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    handler.accept(rows);
                }
            }
        }
    }

    private static UUID uuid(ResultSet row, int column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    private static String listed(List<String> ids) {
        return ": " + String.join(", ", ids.subList(0, Math.min(LISTED, ids.size()))) + (ids.size() > LISTED ? " and "
                + (ids.size() - LISTED) + " more" : "");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

}
