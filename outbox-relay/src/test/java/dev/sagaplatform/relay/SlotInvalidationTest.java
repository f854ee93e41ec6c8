package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What docs/resilience.md ("Replication slots") promises when PostgreSQL invalidates the relay's slot: the relay
 * is DOWN naming the fix (drop the slot) and {@code relay_slot_lost} is 1; once the slot is dropped the relay
 * creates a new one and reads the outbox rows still in the table as a snapshot, so rows never published are
 * published, rows already published arrive again unchanged (same event id: the consumers' inboxes absorb them),
 * and rows retention deleted do not come back.
 */
@Tag(RealInfrastructure.TAG)
class SlotInvalidationTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private final OutboxSource source = OutboxSource.create("slotlost");
    private ConfigurableApplicationContext relay;

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
        source.dropSlot();
    }

    @Test
    void aLostSlotIsReportedAndOnceDroppedTheRowsStillInTheOutboxArePublishedAgain() throws Exception {
        String slot = source.slotName();
        try (TopicReader reader = new TopicReader(TestInfrastructure.get().kafkaBootstrapServers(), source.topic())) {
            // 1. Rows published while the relay runs.
            relay = startRelay();
            List<UUID> published = source.insert("published", 0, 20);
            Map<String, ConsumerRecord<String, String>> firstCopies = new HashMap<>();
            reader.awaitIds(published, DELIVERY).forEach(record -> firstCopies.putIfAbsent(TopicReader.eventId(record), record));

            // 2. The relay stops; rows are written that it never publishes, and retention deletes a few published ones.
            relay.close();
            relay = null;
            List<UUID> neverPublished = source.insert("never-published", 0, 30);
            List<UUID> deletedByRetention = published.subList(0, 5);
            List<UUID> retained = published.subList(5, published.size());
            deleteFromOutbox(deletedByRetention);

            // 3. PostgreSQL invalidates the slot: more WAL than max_slot_wal_keep_size past the slot's restart_lsn.
            long invalidating = System.nanoTime();
            invalidate(slot);
            Duration invalidation = Duration.ofNanos(System.nanoTime() - invalidating);

            // 4. The relay started again is DOWN, names the lost slot and the fix, and exports relay_slot_lost 1.
            relay = startRelay();
            await().atMost(DELIVERY).untilAsserted(() -> {
                HttpResponse<String> health = get("/actuator/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                assertThat(health.body()).contains("\"walStatus\":\"lost\"")
                        .contains("PostgreSQL invalidated the replication slot")
                        .contains("select pg_drop_replication_slot('" + slot + "')");
                assertThat(get("/actuator/prometheus").body()).contains("relay_slot_lost{source=\"slotlost\"} 1.0");
            });
            // Until the slot is dropped the source waits for it (Debezium re-reads a lost slot every 2 s): nothing new is sent.
            assertThat(relay.getBean(OutboxRelay.class).states().get("slotlost").status()).isNotEqualTo(SourceState.Status.RUNNING);
            assertThat(copiesByEventId(reader.awaitIds(List.of(), DELIVERY)).keySet())
                    .doesNotContainAnyElementsOf(neverPublished.stream().map(UUID::toString).toList());

            // 5. The operator's fix: drop the slot. The relay creates a new one and re-reads the outbox as a snapshot.
            dropLostSlot(slot);
            reader.awaitIds(neverPublished, DELIVERY);
            await().atMost(DELIVERY).pollInterval(Duration.ZERO).until(() -> {
                Map<String, Long> copies = copiesByEventId(reader.awaitIds(List.of(), DELIVERY)); // one more poll
                return retained.stream().allMatch(id -> copies.getOrDefault(id.toString(), 0L) >= 2);
            });
            await().atMost(DELIVERY).untilAsserted(() -> {
                HttpResponse<String> health = get("/actuator/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"");
                assertThat(get("/actuator/prometheus").body()).contains("relay_slot_lost{source=\"slotlost\"} 0.0");
            });
            try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
                assertThat(slotColumn(statement, slot, "wal_status")).as("the new slot").isIn("reserved", "extended");
                assertThat(slotColumn(statement, slot, "invalidation_reason")).as("the new slot").isNull();
            }

            List<ConsumerRecord<String, String>> records = reader.records();
            Map<String, Long> copies = copiesByEventId(records);
            // Exactly the rows inserted: nothing else on the topic, every one of them at least once.
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(published.stream(), neverPublished.stream()).map(UUID::toString).toList());
            // The re-snapshot read the table as it is: what retention deleted did not come back...
            deletedByRetention.forEach(id -> assertThat(copies.get(id.toString())).as("copies of deleted row %s", id).isEqualTo(1L));
            // ...and what was published before arrived again as the same message, event id and trace included (each
            // publish is its own span of that trace, so only the traceparent's span id differs).
            for (ConsumerRecord<String, String> record : records) {
                ConsumerRecord<String, String> first = firstCopies.get(TopicReader.eventId(record));
                if (first != null) {
                    assertThat(record.key()).isEqualTo(first.key());
                    assertThat(record.value()).isEqualTo(first.value());
                    assertThat(headers(record)).isEqualTo(headers(first));
                }
            }
            // Rows never published arrive with their own event ids and payloads.
            Map<String, String> payloadByEventId = records.stream().collect(Collectors.toMap(
                    TopicReader::eventId, ConsumerRecord::value, (a, b) -> a));
            for (int i = 0; i < neverPublished.size(); i++) {
                assertThat(payloadByEventId.get(neverPublished.get(i).toString()))
                        .isEqualTo("{\"key\": \"never-published\", \"sequence\": " + i + "}");
            }
            System.out.printf("slot invalidation test: slot invalidated in %d ms; %d records read, %d distinct events%n",
                    invalidation.toMillis(), records.size(), copies.size());
        }
    }

    private ConfigurableApplicationContext startRelay() {
        List<String> args = RelayArgs.common(TestInfrastructure.get().kafkaBootstrapServers(), source);
        args.addAll(List.of("--relay.health.slot-check-interval=200ms",
                // The sources' details without credentials, whatever the relay's default for them.
                "--management.endpoint.health.show-details=always"));
        return new SpringApplicationBuilder(OutboxRelayApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * Writes WAL until PostgreSQL invalidates {@code slot}: one tiny record per segment and a segment switch, as many
     * segments as {@code max_slot_wal_keep_size} holds and two more, then a checkpoint (which invalidates the slots
     * past the limit). The limit is the server's own (1 GB, as in production): the test servers set it on the command
     * line, which ALTER SYSTEM cannot override, so the test writes past it instead of lowering it. The segments are
     * not zero-filled (wal_init_zero is off for this session only), so this costs seconds and almost no disk.
     */
    private static void invalidate(String slot) throws SQLException {
        try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("set wal_init_zero = off");
            long keepBytes = queryLong(statement, "select pg_size_bytes(current_setting('max_slot_wal_keep_size'))");
            long segmentBytes = queryLong(statement, "select pg_size_bytes(current_setting('wal_segment_size'))");
            assertThat(keepBytes).as("max_slot_wal_keep_size (-1 would never invalidate a slot)").isBetween(0L, 4L << 30);
            long segments = keepBytes / segmentBytes + 2;
            await().atMost(DELIVERY).pollInterval(Duration.ZERO).until(() -> {
                for (long i = 0; i < segments; i++) {
                    statement.execute("select pg_logical_emit_message(false, 'slot-invalidation-test', '')");
                    statement.execute("select pg_switch_wal()");
                }
                statement.execute("checkpoint");
                return "lost".equals(slotColumn(statement, slot, "wal_status"));
            });
            assertThat(slotColumn(statement, slot, "invalidation_reason")).isEqualTo("wal_removed");
        }
    }

    /** What an operator does: drop the lost slot (waiting, as they would, while the relay's failed attempt still holds it). */
    private static void dropLostSlot(String slot) {
        await().atMost(DELIVERY).ignoreExceptions().until(() -> {
            try (Connection admin = adminConnection();
                 PreparedStatement drop = admin.prepareStatement("select pg_drop_replication_slot(?)")) {
                drop.setString(1, slot);
                drop.execute();
                return true;
            }
        });
    }

    private void deleteFromOutbox(List<UUID> ids) throws SQLException {
        try (Connection connection = source.database.dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("delete from outbox where id = any(?)")) {
            delete.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            assertThat(delete.executeUpdate()).isEqualTo(ids.size());
        }
    }

    private static Map<String, Long> copiesByEventId(List<ConsumerRecord<String, String>> records) {
        return records.stream().collect(Collectors.groupingBy(TopicReader::eventId, Collectors.counting()));
    }

    /** The headers, with a {@code traceparent} cut to its trace id: the span id is the publish's own. */
    private static List<String> headers(ConsumerRecord<?, ?> record) {
        List<String> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            String value = new String(header.value(), StandardCharsets.UTF_8);
            headers.add(header.key() + "=" + (header.key().equals("traceparent") ? "trace " + value.split("-")[1] : value));
        }
        return headers;
    }

    private static String slotColumn(Statement statement, String slot, String column) throws SQLException {
        try (ResultSet row = statement.executeQuery("select " + column + " from pg_replication_slots where slot_name = '" + slot + "'")) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Connection adminConnection() throws SQLException {
        var postgres = TestInfrastructure.get().postgres();
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
    }

    private HttpResponse<String> get(String path) throws Exception {
        String port = relay.getEnvironment().getProperty("local.server.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
