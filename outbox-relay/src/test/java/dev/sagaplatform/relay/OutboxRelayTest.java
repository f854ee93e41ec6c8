package dev.sagaplatform.relay;

import dev.sagaplatform.testsupport.ExposedMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One relay with four sources against the real PostgreSQL and Kafka: two healthy ones, one naming
 * a database that does not exist, one whose role may not stream. What one source suffers must never
 * touch another.
 */
@Tag(RealInfrastructure.TAG)
class OutboxRelayTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static OutboxSource alpha;
    private static OutboxSource beta;
    private static List<UUID> committedBeforeStart;
    private static String roleWithoutReplication;
    private static ConfigurableApplicationContext relay;

    @BeforeAll
    static void startRelay() throws SQLException {
        alpha = OutboxSource.create("alpha");
        beta = OutboxSource.create("beta");
        committedBeforeStart = alpha.insert("before-start", 0, 20);
        roleWithoutReplication = "norepl_" + UUID.randomUUID().toString().substring(0, 8);
        adminExecute("create role " + roleWithoutReplication + " login password 'secret'");

        var postgres = TestInfrastructure.get().postgres();
        List<String> args = RelayArgs.common(TestInfrastructure.get().kafkaBootstrapServers(), alpha, beta);
        args.addAll(List.of("--relay.sources[2].name=missing-db", "--relay.sources[2].host=" + postgres.host(),
                "--relay.sources[2].port=" + postgres.port(), "--relay.sources[2].database=no_such_database",
                "--relay.sources[2].username=" + postgres.adminUser(), "--relay.sources[2].password=" + postgres.adminPassword()));
        args.addAll(List.of("--relay.sources[3].name=no-replication", "--relay.sources[3].host=" + postgres.host(),
                "--relay.sources[3].port=" + postgres.port(), "--relay.sources[3].database=" + alpha.database.name(),
                "--relay.sources[3].username=" + roleWithoutReplication, "--relay.sources[3].password=secret",
                "--relay.sources[3].slot-name=never_created_" + roleWithoutReplication));
        relay = new SpringApplicationBuilder(OutboxRelayApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
        alpha.dropSlot();
        beta.dropSlot();
    }

    @Test
    void rowsCommittedBeforeTheRelayFirstStartedAreDelivered() {
        try (var reader = reader(alpha)) {
            reader.awaitIds(committedBeforeStart, DELIVERY);
        }
    }

    @Test
    void everyRowBecomesOneRecordKeyedByAggregateInCommitOrderPerKey() {
        List<UUID> ids = new ArrayList<>();
        Map<String, Integer> rowsPerKey = new HashMap<>();
        for (int transaction = 0; transaction < 40; transaction++) {
            String key = "order-" + (transaction % 8);
            int first = rowsPerKey.getOrDefault(key, 0);
            ids.addAll(alpha.insert(key, first, 10));
            rowsPerKey.put(key, first + 10);
        }

        List<ConsumerRecord<String, String>> records;
        try (var reader = reader(alpha)) {
            records = reader.awaitIds(ids, DELIVERY);
        }

        List<ConsumerRecord<String, String>> ours = records.stream()
                .filter(r -> r.key().startsWith("order-")).toList();
        assertThat(ours).hasSize(ids.size());
        Map<String, Integer> nextPerKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : ours) {
            int expected = nextPerKey.getOrDefault(record.key(), 0);
            assertThat(record.value()).isEqualTo("{\"key\": \"" + record.key() + "\", \"sequence\": " + expected + "}");
            nextPerKey.put(record.key(), expected + 1);
        }
        ConsumerRecord<String, String> sample = ours.get(0);
        assertThat(TopicReader.header(sample, Headers.EVENT_TYPE)).isEqualTo("RelayTestEvent");
        assertThat(TopicReader.header(sample, Headers.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(TopicReader.header(sample, Headers.AGGREGATE_TYPE)).isEqualTo(alpha.aggregateType);
        // The row's trace, from the relay's publish span (a child of the row's span), and only that one header.
        assertThat(TopicReader.header(sample, Headers.TRACEPARENT)).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
                .isNotEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(sample.headers().headers(Headers.TRACEPARENT)).hasSize(1);
        assertThat(sample.headers().toArray()).noneMatch(h -> h.key().startsWith("__debezium"));
    }

    @Test
    void misconfiguredSourcesFailWithTheFixNamedWhileTheOthersRun() {
        await().atMost(DELIVERY).until(() -> states().get("missing-db").status() == SourceState.Status.FAILED
                && states().get("no-replication").status() == SourceState.Status.FAILED);

        assertThat(states().get("missing-db").detail())
                .contains("source 'missing-db'").contains("database 'no_such_database' does not exist");
        assertThat(states().get("no-replication").detail())
                .contains("source 'no-replication'").contains("ALTER ROLE " + roleWithoutReplication + " REPLICATION");
        List<UUID> ids = beta.insert("still-flowing", 0, 5);
        try (var reader = reader(beta)) {
            reader.awaitIds(ids, DELIVERY);
        }
        assertThat(states().get("beta").status()).isEqualTo(SourceState.Status.RUNNING);
    }

    @Test
    void sourceThatGoesDownIsRetriedWhileTheOtherKeepsFlowingAndCatchesUp() throws SQLException {
        await().atMost(DELIVERY).until(() -> states().get("beta").status() == SourceState.Status.RUNNING);
        List<UUID> betaBeforeOutage = beta.insert("outage", 0, 5);
        cutOff(beta, true);
        try {
            await().atMost(DELIVERY).until(() -> states().get("beta").status() == SourceState.Status.RETRYING);
            List<UUID> alphaDuringOutage = alpha.insert("during-beta-outage", 0, 10);
            try (var reader = reader(alpha)) {
                reader.awaitIds(alphaDuringOutage, DELIVERY);
            }
        } finally {
            cutOff(beta, false);
        }
        List<UUID> betaAfterOutage = beta.insert("outage", 5, 5);
        try (var reader = reader(beta)) {
            reader.awaitIds(betaBeforeOutage, DELIVERY);
            reader.awaitIds(betaAfterOutage, DELIVERY);
        }
        await().atMost(DELIVERY).until(() -> states().get("beta").status() == SourceState.Status.RUNNING);
    }

    @Test
    void heartbeatsAdvanceTheSlotOfAnIdleSourceWhileAnotherDatabaseWritesWal() throws SQLException {
        await().atMost(DELIVERY).until(() -> states().get("beta").status() == SourceState.Status.RUNNING);
        String before = confirmedFlushLsn(beta);
        // Only alpha writes; beta's slot must still move past the WAL that alpha produced.
        alpha.insert("wal-filler", 0, 200);

        await().atMost(DELIVERY).until(() -> lsnGreaterThan(confirmedFlushLsn(beta), before));
    }

    @Test
    void healthAndPrometheusReportEverySource() throws Exception {
        List<UUID> ids = alpha.insert("metrics", 0, 3);
        try (var reader = reader(alpha)) {
            reader.awaitIds(ids, DELIVERY);
        }
        await().atMost(DELIVERY).until(() -> states().get("beta").status() == SourceState.Status.RUNNING);

        HttpResponse<String> health = get("/actuator/health", RelayArgs.adminAuthorization());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503); // a misconfigured source is DOWN
        assertThat(health.body()).contains("\"alpha\"").contains("\"missing-db\"").contains("FAILED");
        String prometheus = get("/actuator/prometheus").body();
        assertThat(prometheus).contains("relay_events_published_total{source=\"alpha\"}")
                .contains("relay_publish_lag_seconds_bucket{source=\"alpha\"")
                .contains("relay_publish_lag_seconds_count{source=\"alpha\"}");
        // monitoring/exposed-metrics/outbox-relay.txt: what the dashboards and alerts may use of the relay.
        ExposedMetrics.verifyRecorded("outbox-relay", prometheus);
    }

    private static Map<String, SourceState> states() {
        return relay.getBean(OutboxRelay.class).states();
    }

    private static TopicReader reader(OutboxSource source) {
        return new TopicReader(TestInfrastructure.get().kafkaBootstrapServers(), source.topic());
    }

    /** The sources' names, states and errors are for the platform admin; anyone else, a probe included, gets the status. */
    @Test
    void healthDetailsAreForThePlatformAdminOnly() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health");
        HttpResponse<String> wrong = get("/actuator/health", "Basic " + Base64.getEncoder()
                .encodeToString((RelayArgs.ADMIN_USER + ":guess").getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> admin = get("/actuator/health", RelayArgs.adminAuthorization());

        // The source 'missing-db' stays FAILED, so the relay is DOWN for everyone; only the admin learns why.
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(anonymous.body()).contains("\"status\":\"DOWN\"").doesNotContain("components", "relaySources", "missing-db");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(503);
        assertThat(admin.body()).contains("\"components\"", "\"relaySources\"", "\"missing-db\"", "\"circuitBreakers\"");
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> response = get(probe);
            assertThat(response.statusCode()).as(probe).isIn(200, 503);
            assertThat(response.body()).as(probe).doesNotContain("components");
        }
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).as("a failed source: not ready (relaySources is in the group)")
                .isEqualTo(503);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return get(path, null);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        String port = relay.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Takes a database away from everyone (the relay included) the way a crashed server would. */
    private static void cutOff(OutboxSource source, boolean cut) throws SQLException {
        String db = source.database.name();
        adminExecute("alter database " + db + " allow_connections " + !cut);
        if (cut) {
            adminExecute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db
                    + "' and pid <> pg_backend_pid()");
        }
    }

    private static String confirmedFlushLsn(OutboxSource source) throws SQLException {
        try (Connection connection = admin(); var statement = connection.prepareStatement(
                "select confirmed_flush_lsn::text from pg_replication_slots where slot_name = ?")) {
            statement.setString(1, source.slotName());
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : "0/0";
            }
        }
    }

    private static boolean lsnGreaterThan(String candidate, String baseline) throws SQLException {
        try (Connection connection = admin(); var statement = connection.prepareStatement("select ?::pg_lsn > ?::pg_lsn")) {
            statement.setString(1, candidate);
            statement.setString(2, baseline);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static void adminExecute(String sql) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection admin() throws SQLException {
        var postgres = TestInfrastructure.get().postgres();
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
    }
}
