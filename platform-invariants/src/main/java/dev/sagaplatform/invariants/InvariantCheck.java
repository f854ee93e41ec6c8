package dev.sagaplatform.invariants;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
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
 * the end-to-end tests use this one check. It only waits and gathers: what it read becomes a {@link PlatformSnapshot},
 * and {@link InvariantRules}, which the deterministic simulator evaluates on its own snapshots too, judges it.
 */
public final class InvariantCheck {

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
        PlatformSnapshot snapshot;
        try {
            snapshot = snapshot();
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot read a service database: " + ex.getMessage(), ex);
        }
        return new Verdict(InvariantRules.evaluate(snapshot), InvariantRules.counts(snapshot), settled);
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

    /** Everything the rules look at: each service's tables from its own database, then the topics. */
    private PlatformSnapshot snapshot() throws SQLException {
        List<PlatformSnapshot.Order> orders = orders();
        List<PlatformSnapshot.Saga> sagas = new ArrayList<>();
        if (hasOrchestrator()) {
            query(PlatformAccess.ORCHESTRATOR, "select id, order_id, state, current_step from saga_instance order by created_at", row ->
                    sagas.add(new PlatformSnapshot.Saga(uuid(row, 1), uuid(row, 2), row.getString(3), row.getString(4))));
        }
        List<PlatformSnapshot.Payment> payments = new ArrayList<>();
        query(PlatformAccess.PAYMENT, "select order_id, status from payment", row ->
                payments.add(new PlatformSnapshot.Payment(uuid(row, 1), row.getString(2))));
        List<PlatformSnapshot.Reservation> reservations = new ArrayList<>();
        query(PlatformAccess.INVENTORY, "select order_id, status from reservations", row ->
                reservations.add(new PlatformSnapshot.Reservation(uuid(row, 1), row.getString(2))));
        List<PlatformSnapshot.Customer> customers = new ArrayList<>();
        query(PlatformAccess.PAYMENT, "select customer_id, credit_limit, available_credit from customer", row ->
                customers.add(new PlatformSnapshot.Customer(row.getString(1), row.getBigDecimal(2), row.getBigDecimal(3))));
        List<PlatformSnapshot.Charge> charges = new ArrayList<>();
        query(PlatformAccess.GATEWAY, "select order_id, charge_id, amount, refunded_amount from charge", row ->
                charges.add(new PlatformSnapshot.Charge(uuid(row, 1), uuid(row, 2), row.getBigDecimal(3), row.getBigDecimal(4))));
        List<PlatformSnapshot.Product> products = new ArrayList<>();
        query(PlatformAccess.INVENTORY, "select sku, reserved from products", row ->
                products.add(new PlatformSnapshot.Product(row.getString(1), row.getLong(2))));
        List<PlatformSnapshot.IdempotencyKey> keys = new ArrayList<>();
        query(PlatformAccess.ORDER, "select idempotency_key, state, response_status, order_id, created_at from idempotency_key", row ->
                keys.add(new PlatformSnapshot.IdempotencyKey(row.getString(1), row.getString(2), row.getObject(3, Integer.class),
                        uuid(row, 4), instant(row, 5))));
        List<PlatformSnapshot.ServiceMessages> services = new ArrayList<>();
        for (String service : outboxServices()) {
            services.add(messages(service));
        }
        return new PlatformSnapshot(orders, hasOrchestrator(), sagas, payments, customers, charges, reservations, products, keys,
                services, published(services));
    }

    private List<PlatformSnapshot.Order> orders() throws SQLException {
        Map<UUID, Map<String, Long>> lines = new HashMap<>();
        query(PlatformAccess.ORDER, "select order_id, sku, quantity from order_line", row ->
                lines.computeIfAbsent(uuid(row, 1), o -> new HashMap<>()).merge(row.getString(2), row.getLong(3), Long::sum));
        List<PlatformSnapshot.Order> orders = new ArrayList<>();
        query(PlatformAccess.ORDER, "select id, customer_id, status, flow, total, created_at from orders order by created_at", row -> {
            UUID id = uuid(row, 1);
            orders.add(new PlatformSnapshot.Order(id, row.getString(2), row.getString(3), row.getString(4), row.getBigDecimal(5),
                    lines.getOrDefault(id, Map.of()), instant(row, 6)));
        });
        return orders;
    }

    /**
     * A service's outbox and, of its inbox, the messages that some outbox row names as its cause (all the rules ask
     * about; the whole inbox is far larger). One statement, so both come from the same snapshot of the database.
     */
    private PlatformSnapshot.ServiceMessages messages(String service) throws SQLException {
        List<PlatformSnapshot.OutboxRow> outbox = new ArrayList<>();
        Set<UUID> processed = new HashSet<>();
        query(service, "select o.id, o.type, o.aggregateid, o.causation_id, o.created_at,"
                + " exists (select 1 from processed_message p where p.message_id = o.causation_id)"
                + " from outbox o order by o.created_at", row -> {
            outbox.add(new PlatformSnapshot.OutboxRow(uuid(row, 1), row.getString(2), row.getString(3), uuid(row, 4), instant(row, 5)));
            if (row.getBoolean(6)) {
                processed.add(uuid(row, 4));
            }
        });
        return new PlatformSnapshot.ServiceMessages(service, outbox, processed);
    }

    /**
     * Which outbox rows' ids are the event-id header of a record on a platform topic. The relay may still be catching up
     * after a fault: the topics are read again until every row shows up or the published wait passes.
     */
    private Set<UUID> published(List<PlatformSnapshot.ServiceMessages> services) {
        Set<UUID> outbox = new HashSet<>();
        Instant oldest = null;
        for (PlatformSnapshot.ServiceMessages service : services) {
            for (PlatformSnapshot.OutboxRow row : service.outbox()) {
                outbox.add(row.id());
                oldest = oldest == null || row.createdAt().isBefore(oldest) ? row.createdAt() : oldest;
            }
        }
        if (outbox.isEmpty()) {
            return Set.of();
        }
        Set<UUID> unpublished = new HashSet<>(outbox);
        long deadline = System.nanoTime() + publishedWait.toNanos();
        while (true) {
            unpublished.removeAll(publishedEventIds(oldest.minusSeconds(60)));
            if (unpublished.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            progress.accept("waiting for the relay to publish " + unpublished.size() + " outbox row(s)");
            sleep(2000);
        }
        outbox.removeAll(unpublished);
        return outbox;
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

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return row.getTimestamp(column).toInstant();
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
