package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A replication slot keeps WAL for as long as its relay does not confirm: the relay exports what each slot
 * holds, and a source that stays stuck makes the relay DOWN instead of a 200 with "RETRYING" inside.
 */
@Tag(RealInfrastructure.TAG)
class SlotHealthTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static OutboxSource gamma;
    private static ConfigurableApplicationContext relay;

    @BeforeAll
    static void startRelay() {
        gamma = OutboxSource.create("gamma");
        List<String> args = RelayArgs.common(TestInfrastructure.get().kafkaBootstrapServers(), gamma);
        // As the production overlay runs it (PostgreSQL 17 here too): the slot is created as a failover slot.
        args.addAll(List.of("--relay.health.stuck-after=3s", "--relay.health.slot-check-interval=200ms", "--relay.slot-failover=true"));
        relay = new SpringApplicationBuilder(OutboxRelayApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
        gamma.dropSlot();
    }

    @Test
    void exportsTheWalEachSlotHoldsAndWhetherItWasLost() throws Exception {
        List<UUID> ids = gamma.insert("slot", 0, 50);
        try (var reader = new TopicReader(TestInfrastructure.get().kafkaBootstrapServers(), gamma.topic())) {
            reader.awaitIds(ids, DELIVERY);
        }
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
                .containsPattern("relay_slot_retained_wal_bytes\\{source=\"gamma\"} [0-9.E]+\n")
                .containsPattern("relay_slot_confirmed_lag_bytes\\{source=\"gamma\"} [0-9.E]+\n")
                .contains("relay_slot_lost{source=\"gamma\"} 0.0"));
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(get("/actuator/health").statusCode()).isEqualTo(200));
        assertThat(get("/actuator/health").body()).contains("\"walStatus\":\"reserved\"");
    }

    @Test
    void withSlotFailoverTheSlotIsCreatedAsAFailoverSlot() throws Exception {
        await().atMost(DELIVERY).until(() -> relay.getBean(OutboxRelay.class).states().get("gamma").status() == SourceState.Status.RUNNING);
        var postgres = TestInfrastructure.get().postgres();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             var statement = connection.prepareStatement("select failover from pg_replication_slots where slot_name = ?")) {
            statement.setString(1, gamma.slotName());
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).as("slot " + gamma.slotName() + " exists").isTrue();
                assertThat(rows.getBoolean(1)).as("PostgreSQL synchronizes only failover slots to its standbys").isTrue();
            }
        }
    }

    @Test
    void aSourceStuckLongerThanTheLimitMakesTheRelayDownUntilItResumes() throws Exception {
        await().atMost(DELIVERY).until(() -> relay.getBean(OutboxRelay.class).states().get("gamma").status() == SourceState.Status.RUNNING);
        cutOff(true);
        try {
            await().atMost(DELIVERY).untilAsserted(() -> {
                HttpResponse<String> health = get("/actuator/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                assertThat(health.body()).contains("not publishing for").contains("max_slot_wal_keep_size");
            });
        }
        finally {
            cutOff(false);
        }
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(get("/actuator/health").statusCode()).isEqualTo(200));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        String port = relay.getEnvironment().getProperty("local.server.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", RelayArgs.adminAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void cutOff(boolean cut) throws SQLException {
        var postgres = TestInfrastructure.get().postgres();
        String db = gamma.database.name();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("alter database " + db + " allow_connections " + !cut);
            if (cut) {
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db + "' and pid <> pg_backend_pid()");
            }
        }
    }
}
