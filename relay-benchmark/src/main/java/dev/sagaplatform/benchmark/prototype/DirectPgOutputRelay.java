package dev.sagaplatform.benchmark.prototype;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * EXPERIMENT, not a relay: what the relay's hot path costs without Debezium's engine. Reads the
 * outbox publication's {@code pgoutput} stream with pgjdbc's replication API in blocking mode (no
 * 10 ms polling, no change-event queue, no Struct/SourceRecord per row), turns each outbox insert
 * into the same Kafka record the relay publishes (key, value, the five headers, topic by aggregate
 * type) with the relay's producer settings, and confirms a transaction's LSN to PostgreSQL only once
 * Kafka acknowledged all its records (at least once, as the relay).
 *
 * <p>Left out because a measurement does not need them: snapshots, heartbeats, restarts with
 * backoff, health, metrics, configurable routes, TOAST-unchanged columns (outbox rows are only
 * inserted), and any error handling beyond exiting. Run by the benchmark with {@code --ours=prototype}.
 */
public final class DirectPgOutputRelay {

    private static final String[] HEADER_COLUMNS = {"id", "type", "schema_version", "aggregatetype", "traceparent"};
    private static final String[] HEADER_NAMES = {"event-id", "event-type", "schema-version", "aggregate-type", "traceparent"};

    private final Map<Integer, Relation> relations = new HashMap<>();
    private final ArrayDeque<PendingTransaction> pending = new ArrayDeque<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private PendingTransaction current;

    private DirectPgOutputRelay(KafkaProducer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Arguments: bootstrap servers, JDBC URL, user, password, slot, publication, producer linger.ms. */
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String url = args[1];
        String user = args[2];
        String password = args[3];
        String slot = args[4];
        String publication = args[5];
        int lingerMillis = Integer.parseInt(args[6]);
        try (Connection sql = DriverManager.getConnection(url, user, password);
             PreparedStatement create = sql.prepareStatement("select pg_create_logical_replication_slot(?, 'pgoutput') "
                     + "where not exists (select 1 from pg_replication_slots where slot_name = ?)")) {
            create.setString(1, slot);
            create.setString(2, slot);
            create.execute();
        }
        Properties properties = new Properties();
        PGProperty.USER.set(properties, user);
        PGProperty.PASSWORD.set(properties, password);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMillis,
                ProducerConfig.CLIENT_ID_CONFIG, "direct-pgoutput-relay");
        try (Connection replication = DriverManager.getConnection(url, properties);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(slot)
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", publication)
                    // The relay flushes its offsets every second.
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            new DirectPgOutputRelay(producer).run(stream);
        }
    }

    private void run(PGReplicationStream stream) throws SQLException {
        while (!Thread.currentThread().isInterrupted()) {
            ByteBuffer message = stream.read(); // blocks until the server sends something
            if (message != null) {
                handle(message);
            }
            confirmAcknowledged(stream);
        }
    }

    private void handle(ByteBuffer message) {
        switch (message.get()) {
            case 'B' -> current = new PendingTransaction();
            case 'R' -> relation(message);
            case 'I' -> insert(message);
            case 'C' -> {
                message.get(); // flags
                message.getLong(); // commit LSN
                current.endLsn = message.getLong();
                pending.add(current);
                current = null;
            }
            default -> {
                // origin, type, update, delete, truncate, logical message: nothing to publish
            }
        }
    }

    private void relation(ByteBuffer message) {
        int oid = message.getInt();
        cString(message); // namespace
        String name = cString(message);
        message.get(); // replica identity
        int columns = message.getShort();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns; i++) {
            message.get(); // flags
            index.put(cString(message), i);
            message.getInt(); // type
            message.getInt(); // modifier
        }
        relations.put(oid, new Relation("outbox".equals(name), index));
    }

    private void insert(ByteBuffer message) {
        Relation relation = relations.get(message.getInt());
        if (relation == null || !relation.outbox) {
            return;
        }
        message.get(); // 'N'
        int columns = message.getShort();
        byte[][] values = new byte[columns][];
        for (int i = 0; i < columns; i++) {
            byte kind = message.get();
            if (kind == 't') {
                byte[] value = new byte[message.getInt()];
                message.get(value);
                values[i] = value;
            }
        }
        var headers = new RecordHeaders();
        for (int h = 0; h < HEADER_COLUMNS.length; h++) {
            byte[] value = values[relation.index.get(HEADER_COLUMNS[h])];
            if (value != null) {
                headers.add(new RecordHeader(HEADER_NAMES[h], value));
            }
        }
        String topic = new String(values[relation.index.get("aggregatetype")], StandardCharsets.UTF_8) + ".events";
        PendingTransaction transaction = current;
        transaction.outstanding.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, null, values[relation.index.get("aggregateid")],
                values[relation.index.get("payload")], headers), (metadata, error) -> {
            if (error != null) {
                // A measurement, not a relay: stop rather than retry; the unconfirmed LSN is replayed on restart.
                System.err.println("publishing failed: " + error);
                Runtime.getRuntime().halt(1);
            }
            transaction.outstanding.decrementAndGet();
        });
    }

    /** Confirms the LSN of every leading transaction whose records Kafka has all acknowledged. */
    private void confirmAcknowledged(PGReplicationStream stream) {
        long confirmed = -1;
        while (!pending.isEmpty() && pending.peek().outstanding.get() == 0) {
            confirmed = pending.poll().endLsn;
        }
        if (confirmed >= 0) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(confirmed);
            stream.setAppliedLSN(lsn);
            stream.setFlushedLSN(lsn);
        }
    }

    private static String cString(ByteBuffer buffer) {
        int start = buffer.position();
        while (buffer.get() != 0) {
            // find the terminator
        }
        return new String(buffer.array(), buffer.arrayOffset() + start, buffer.position() - start - 1, StandardCharsets.UTF_8);
    }

    private record Relation(boolean outbox, Map<String, Integer> index) {
    }

    private static final class PendingTransaction {
        final AtomicInteger outstanding = new AtomicInteger();
        long endLsn;
    }
}
