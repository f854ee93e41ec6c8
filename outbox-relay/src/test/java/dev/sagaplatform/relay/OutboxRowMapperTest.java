package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The change event → record mapping on its own, with change events shaped as Debezium's PostgreSQL connector emits them. */
class OutboxRowMapperTest {

    private final OutboxRowMapper mapper = new OutboxRowMapper(Map.of());

    @Test
    void publishesTheCauseOfARowAsTheCausationIdHeader() {
        String cause = UUID.randomUUID().toString();

        var record = mapper.map(insert(row(true).put("causation_id", cause))).record();

        assertThat(header(record.headers().lastHeader(Headers.CAUSATION_ID))).isEqualTo(cause);
        assertThat(header(record.headers().lastHeader(Headers.EVENT_TYPE))).isEqualTo("PaymentAuthorized");
    }

    @Test
    void aRowWithoutACauseGetsNoCausationHeader() {
        var record = mapper.map(insert(row(true))).record();

        assertThat(record.headers().lastHeader(Headers.CAUSATION_ID)).isNull();
    }

    @Test
    void anOutboxWithoutTheCausationColumnStillMaps() {
        // A service database not yet migrated to V0_4 while the relay already runs the new code.
        var record = mapper.map(insert(row(false))).record();

        assertThat(record.headers().lastHeader(Headers.CAUSATION_ID)).isNull();
        assertThat(record.topic()).isEqualTo("payment.events");
    }

    private static Struct row(boolean withCausation) {
        SchemaBuilder schema = SchemaBuilder.struct()
                .field("id", Schema.STRING_SCHEMA)
                .field("aggregatetype", Schema.STRING_SCHEMA)
                .field("aggregateid", Schema.STRING_SCHEMA)
                .field("type", Schema.STRING_SCHEMA)
                .field("schema_version", Schema.INT32_SCHEMA)
                .field("payload", Schema.STRING_SCHEMA)
                .field("traceparent", Schema.OPTIONAL_STRING_SCHEMA);
        if (withCausation) {
            schema.field("causation_id", Schema.OPTIONAL_STRING_SCHEMA);
        }
        return new Struct(schema.build())
                .put("id", UUID.randomUUID().toString())
                .put("aggregatetype", "payment")
                .put("aggregateid", UUID.randomUUID().toString())
                .put("type", "PaymentAuthorized")
                .put("schema_version", 1)
                .put("payload", "{}");
    }

    private static SourceRecord insert(Struct after) {
        Schema source = SchemaBuilder.struct().field("table", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct()
                .field("op", Schema.STRING_SCHEMA)
                .field("source", source)
                .field("after", after.schema())
                .build();
        Struct value = new Struct(envelope)
                .put("op", "c")
                .put("source", new Struct(source).put("table", OutboxRowMapper.OUTBOX_TABLE).put("ts_ms", 1L))
                .put("after", after);
        return new SourceRecord(Map.of(), Map.of(), "relay.public.outbox", envelope, value);
    }

    private static String header(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
