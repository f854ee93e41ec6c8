package dev.sagaplatform.testsupport;

import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Servers in Docker containers, for machines with a Docker engine. */
final class ContainerServers {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    static final String POSTGRES_IMAGE = "postgres:17";

    // The image's entrypoint opens only "host all all all" to clients outside the container, and
    // "all" does not match replication connections: Debezium's walsender connection would be refused.
    private static final String REPLICATION_HBA_SCRIPT = """
            #!/bin/sh
            echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
            """;

    private ContainerServers() {
    }

    static KafkaServer startKafka() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(EmbeddedServers.DEFAULT_PARTITIONS))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "5")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        kafka.start();
        String bootstrapServers = kafka.getBootstrapServers();
        return new KafkaServer() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public void close() {
                kafka.stop();
            }
        };
    }

    static JdbcPostgresServer startPostgres() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withCommand("postgres",
                        "-c", "wal_level=logical",
                        "-c", "max_replication_slots=40",
                        "-c", "max_wal_senders=40",
                        "-c", "max_slot_wal_keep_size=1GB",
                        // Same as the embedded server: cached Spring contexts each keep a pool open.
                        "-c", "max_connections=300")
                .withCopyToContainer(Transferable.of(REPLICATION_HBA_SCRIPT, 0755),
                        "/docker-entrypoint-initdb.d/10-replication-hba.sh");
        postgres.start();
        return new JdbcPostgresServer() {
            @Override
            public String host() {
                return postgres.getHost();
            }

            @Override
            public int port() {
                return postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
            }

            @Override
            public String adminUser() {
                return postgres.getUsername();
            }

            @Override
            public String adminPassword() {
                return postgres.getPassword();
            }

            @Override
            public void close() {
                postgres.stop();
            }
        };
    }
}
