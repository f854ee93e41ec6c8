package dev.sagaplatform.benchmark;

import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.JavaProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * System B, the peer: a Kafka Connect 4.1.2 standalone worker running Debezium's PostgreSQL
 * connector with the outbox EventRouter, configured to publish what the relay publishes (key =
 * aggregateid, value = the payload string, topic by aggregatetype, row fields as headers) with the
 * relay's producer settings.
 */
final class ConnectPeer extends RelayUnderTest {

    private final String classpath;

    ConnectPeer(Environment environment, int rows, String classpath) {
        super("peer", "peer (Debezium in Kafka Connect)", environment, rows);
        this.classpath = classpath;
    }

    @Override
    JavaProcess.Builder processBuilder() throws IOException {
        Path directory = Files.createDirectories(environment.workDirectory().resolve("connect"));
        Path worker = write(directory.resolve("worker.properties"), workerConfig(directory));
        Path connector = write(directory.resolve("outbox-connector.properties"), connectorConfig());
        Path logging = directory.resolve("log4j2.properties");
        // WARN and above, as the relay logs Kafka and Debezium.
        Files.writeString(logging, """
                status = warn
                appender.out.type = Console
                appender.out.name = OUT
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n
                rootLogger.level = WARN
                rootLogger.appenderRef.out.ref = OUT
                """);
        return JavaProcess.builder("org.apache.kafka.connect.cli.ConnectStandalone")
                .classpath(classpath)
                .systemProperty("log4j2.configurationFile", logging.toString())
                .args(worker.toString(), connector.toString());
    }

    private Map<String, String> workerConfig(Path directory) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", environment.bootstrapServers());
        config.put("listeners", "http://127.0.0.1:" + FreePorts.find());
        // The value is the payload string as it is, the key the aggregate id: the relay's output.
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("offset.storage.file.filename", directory.resolve("connect.offsets").toString());
        // The relay flushes its offsets every second; the same redelivery window after a crash.
        config.put("offset.flush.interval.ms", "1000");
        // Connectors from the classpath via ServiceLoader manifests: start-up 4.5 s instead of 9 s.
        config.put("plugin.discovery", "service_load");
        // The relay's producer: acks=all, idempotent, the same linger.ms (1 by default) and Kafka's default 5 requests in
        // flight (Connect would otherwise lower that to 1).
        config.put("producer.acks", "all");
        config.put("producer.enable.idempotence", "true");
        config.put("producer.linger.ms", Integer.toString(environment.lingerMillis()));
        config.put("producer.max.in.flight.requests.per.connection", "5");
        return config;
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", "bench-outbox");
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("plugin.name", "pgoutput");
        config.put("topic.prefix", "bench-peer");
        config.put("database.hostname", environment.pgHost());
        config.put("database.port", Integer.toString(environment.pgPort()));
        config.put("database.user", environment.pgUser());
        config.put("database.password", environment.pgPassword());
        config.put("database.dbname", database());
        config.put("slot.name", slotName());
        config.put("publication.name", "outbox_publication");
        config.put("publication.autocreate.mode", "disabled");
        config.put("table.include.list", "public.outbox");
        config.put("snapshot.mode", "no_data");
        // What the relay sets too: only inserts matter, deletes by the retention cleanup do not.
        config.put("skipped.operations", "u,d,t");
        config.put("tombstones.on.delete", "false");
        config.put("poll.interval.ms", "10");
        config.put("extended.headers.enabled", "false");
        config.put("transforms", "outbox");
        config.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        config.put("transforms.outbox.route.by.field", "aggregatetype");
        config.put("transforms.outbox.route.topic.replacement", "${routedByValue}.events");
        config.put("transforms.outbox.table.field.event.key", "aggregateid");
        config.put("transforms.outbox.table.expand.json.payload", "false");
        // The relay's headers (platform-contracts Headers): event-id, event-type, schema-version,
        // aggregate-type, traceparent. EventRouter adds its own "id" header on top.
        config.put("transforms.outbox.table.fields.additional.placement",
                "id:header:event-id,type:header:event-type,schema_version:header:schema-version,"
                        + "aggregatetype:header:aggregate-type,traceparent:header:traceparent");
        return config;
    }

    private static Path write(Path file, Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "written by RelayBenchmark");
        }
        return file;
    }
}
