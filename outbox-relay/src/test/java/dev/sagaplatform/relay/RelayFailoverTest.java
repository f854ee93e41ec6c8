package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.JavaProcess;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two relay instances on the same source: the one holding the source's election lock publishes, the other stands by (and
 * is still ready); when the active one dies or loses its lock, the standby takes over within 10 s and every row written
 * meanwhile is published at least once.
 */
@Tag(RealInfrastructure.TAG)
class RelayFailoverTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(10);

    @TempDir
    Path logs;

    @Test
    void standbyTakesOverWithinTenSecondsWhenTheActiveRelayIsKilled() throws Exception {
        OutboxSource source = OutboxSource.create("failover");
        Writer writer = new Writer(source);
        JavaProcess first = JavaProcess.builder(OutboxRelayApplication.class.getName())
                .args(args(source, "relay-a"))
                .xmx("384m")
                .logFile(logs.resolve("relay-a.log"))
                .start();
        ConfigurableApplicationContext second = null;
        try (var reader = new TopicReader(TestInfrastructure.get().kafkaBootstrapServers(), source.topic())) {
            writer.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> writer.written.size() > 50);
            reader.awaitIds(List.copyOf(writer.written.subList(0, 50)), Duration.ofSeconds(90)); // the first relay is active

            second = start(source, "relay-b");
            OutboxRelay standby = second.getBean(OutboxRelay.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> standby.states().get(source.name).status() == SourceState.Status.STANDBY);
            assertThat(standby.roles()).containsEntry(source.name, false);
            HttpResponse<String> health = get(second, "/actuator/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"role\":\"STANDBY\"").contains("\"status\":\"STANDBY\"").contains("outbox-relay-lock relay-a");
            HttpResponse<String> readiness = get(second, "/actuator/health/readiness");
            assertThat(readiness.statusCode()).as("a standby stays ready: " + readiness.body()).isEqualTo(200);
            assertThat(get(second, "/actuator/prometheus").body())
                    .contains("relay_source_active{source=\"failover\"} 0.0").contains("relay_source_running{source=\"failover\"} 0.0");

            int before = writer.written.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.written.size() > before + 100);
            reader.awaitIds(List.copyOf(writer.written.subList(0, before + 100)), Duration.ofSeconds(60));
            assertThat(published(second, source)).as("the standby published nothing while the first relay was active").isZero();

            first.kill(); // SIGKILL: its lock's session ends with its connection
            long killedAt = System.nanoTime();
            int writtenAtKill = writer.written.size();
            await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(50))
                    .until(() -> standby.roles().get(source.name) && standby.states().get(source.name).status() == SourceState.Status.RUNNING);
            long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.written.size() > writtenAtKill + 100);
            writer.stop();

            List<ConsumerRecord<String, String>> records = reader.awaitIds(List.copyOf(writer.written), Duration.ofSeconds(60));
            assertThat(published(second, source)).as("the standby took over publishing").isPositive();
            health = get(second, "/actuator/health");
            assertThat(health.body()).contains("\"role\":\"ACTIVE\"").contains("\"status\":\"RUNNING\"");
            assertThat(get(second, "/actuator/prometheus").body()).contains("relay_source_active{source=\"failover\"} 1.0");
            System.out.printf("failover test: takeover %d ms after SIGKILL; %d rows written, %d records read (%d duplicates)%n",
                    takeoverMillis, writer.written.size(), records.size(), records.size() - writer.written.size());
        } finally {
            writer.stop();
            if (first.isAlive()) {
                first.kill();
            }
            if (second != null) {
                second.close();
            }
            source.dropSlot();
        }
    }

    @Test
    void anActiveRelayThatLosesItsLockStopsPublishingAndTheStandbyTakesOver() throws Exception {
        OutboxSource source = OutboxSource.create("fencing");
        Writer writer = new Writer(source);
        ConfigurableApplicationContext first = null;
        ConfigurableApplicationContext second = null;
        try (var reader = new TopicReader(TestInfrastructure.get().kafkaBootstrapServers(), source.topic())) {
            first = start(source, "relay-one");
            OutboxRelay one = first.getBean(OutboxRelay.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> one.states().get(source.name).status() == SourceState.Status.RUNNING);
            second = start(source, "relay-two");
            OutboxRelay two = second.getBean(OutboxRelay.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> two.states().get(source.name).status() == SourceState.Status.STANDBY);
            assertThat(one.roles()).containsEntry(source.name, true);
            assertThat(get(first, "/actuator/health").body()).contains("\"role\":\"ACTIVE\"");

            writer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.written.size() > 100);
            assertThat(terminateLockSession(source, "relay-one")).isEqualTo(1);
            long cutAt = System.nanoTime();
            await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(50))
                    .until(() -> two.roles().get(source.name) && two.states().get(source.name).status() == SourceState.Status.RUNNING);
            long takeoverMillis = (System.nanoTime() - cutAt) / 1_000_000;
            // Fenced: the first relay stopped its engine and now stands by behind the second one.
            await().atMost(Duration.ofSeconds(10)).until(() -> one.states().get(source.name).status() == SourceState.Status.STANDBY);
            assertThat(one.roles()).containsEntry(source.name, false);
            double publishedByOne = published(first, source);
            int writtenAtTakeover = writer.written.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.written.size() > writtenAtTakeover + 100);
            writer.stop();

            List<ConsumerRecord<String, String>> records = reader.awaitIds(List.copyOf(writer.written), Duration.ofSeconds(60));
            assertThat(published(first, source)).as("the fenced relay publishes nothing more").isEqualTo(publishedByOne);
            assertThat(published(second, source)).isPositive();
            System.out.printf("fencing test: takeover %d ms after the lock's session ended; %d rows written, %d records read%n",
                    takeoverMillis, writer.written.size(), records.size());
        } finally {
            writer.stop();
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
            source.dropSlot();
        }
    }

    private static List<String> args(OutboxSource source, String instanceId) {
        List<String> args = new ArrayList<>(RelayArgs.common(TestInfrastructure.get().kafkaBootstrapServers(), source));
        args.add("--relay.election.instance-id=" + instanceId);
        args.add("--management.endpoint.health.show-details=always");
        return args;
    }

    private static ConfigurableApplicationContext start(OutboxSource source, String instanceId) {
        return new SpringApplicationBuilder(OutboxRelayApplication.class).run(args(source, instanceId).toArray(String[]::new));
    }

    private static double published(ConfigurableApplicationContext relay, OutboxSource source) {
        return relay.getBean(MeterRegistry.class).get("relay.events.published").tag("source", source.name).counter().count();
    }

    /** Ends the session holding the relay instance's election lock, as a broken connection or a database restart would. */
    private static int terminateLockSession(OutboxSource source, String instanceId) throws Exception {
        var postgres = TestInfrastructure.get().postgres();
        try (Connection admin = java.sql.DriverManager.getConnection("jdbc:postgresql://" + postgres.host() + ":" + postgres.port()
                + "/" + source.database.name(), postgres.adminUser(), postgres.adminPassword());
             PreparedStatement terminate = admin.prepareStatement(
                     "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity where application_name = ?")) {
            terminate.setString(1, "outbox-relay-lock " + instanceId);
            try (ResultSet result = terminate.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext relay, String path) throws Exception {
        String port = relay.getEnvironment().getProperty("local.server.port");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", RelayArgs.adminAuthorization()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Writes one row every few milliseconds, on four keys, until stopped. */
    private static final class Writer {
        final List<UUID> written = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final Thread thread;

        Writer(OutboxSource source) {
            thread = new Thread(() -> {
                int sequence = 0;
                while (writing.get()) {
                    written.addAll(source.insert("key-" + (sequence % 4), sequence / 4, 1));
                    sequence++;
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "outbox-writer");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            writing.set(false);
            if (thread.isAlive()) {
                thread.join();
            }
        }
    }
}
