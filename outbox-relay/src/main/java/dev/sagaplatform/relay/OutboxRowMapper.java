package dev.sagaplatform.relay;

import dev.sagaplatform.contracts.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Debezium change event of an inserted outbox row into the Kafka record consumers expect:
 * topic by aggregate type, key = aggregate id, value = the JSON payload, metadata in headers.
 *
 * <p>Written here instead of configuring Debezium's outbox EventRouter: the mapping is five field
 * reads on the change event's Struct, whereas the SMT builds a second Connect record and schema per
 * event and still needs a converter pass to bytes. Doing it directly is the cheaper path per event,
 * keeps the commit timestamp at hand for the lag metric, and the rules fit on one screen. The optional
 * columns ({@code traceparent}, {@code causation_id}) become headers only when set.
 */
final class OutboxRowMapper {

    static final String OUTBOX_TABLE = "outbox";
    private static final String CAUSATION_COLUMN = "causation_id";

    private final Map<String, String> routes;

    OutboxRowMapper(Map<String, String> routes) {
        this.routes = routes;
    }

    /** @return the record to publish, or {@code null} for events that carry no message (heartbeats, deletes). */
    MappedEvent map(SourceRecord change) {
        if (!(change.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return null; // a tombstone or one of Debezium's heartbeat records
        }
        String op = envelope.getString("op");
        Struct source = envelope.getStruct("source");
        // Only inserts (and snapshot reads of rows that existed before the slot) carry messages;
        // the retention cleanup's deletes and the relay's own heartbeat rows do not.
        if (!("c".equals(op) || "r".equals(op)) || !OUTBOX_TABLE.equals(source.getString("table"))) {
            return null;
        }
        Struct row = envelope.getStruct("after");
        String aggregateType = row.getString("aggregatetype");
        String topic = routes.getOrDefault(aggregateType, aggregateType + ".events");

        var headers = new RecordHeaders();
        headers.add(header(Headers.EVENT_ID, row.getString("id")));
        headers.add(header(Headers.EVENT_TYPE, row.getString("type")));
        headers.add(header(Headers.SCHEMA_VERSION, String.valueOf(row.getInt32("schema_version"))));
        headers.add(header(Headers.AGGREGATE_TYPE, aggregateType));
        String traceparent = row.getString("traceparent");
        if (traceparent != null) {
            headers.add(header(Headers.TRACEPARENT, traceparent));
        }
        // A database still on the outbox layout before the column was added (a service not yet upgraded) has no field.
        String causationId = row.schema().field(CAUSATION_COLUMN) == null ? null : row.getString(CAUSATION_COLUMN);
        if (causationId != null) {
            headers.add(header(Headers.CAUSATION_ID, causationId));
        }
        var record = new ProducerRecord<>(topic, null,
                row.getString("aggregateid").getBytes(StandardCharsets.UTF_8),
                row.getString("payload").getBytes(StandardCharsets.UTF_8),
                headers);
        return new MappedEvent(record, source.getInt64("ts_ms"));
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** @param commitEpochMillis when the row's transaction committed, for the commit-to-publish lag */
    record MappedEvent(ProducerRecord<byte[], byte[]> record, long commitEpochMillis) {
    }
}
