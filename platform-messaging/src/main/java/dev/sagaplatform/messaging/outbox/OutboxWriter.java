package dev.sagaplatform.messaging.outbox;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.trace.Causation;
import dev.sagaplatform.messaging.trace.TraceContext;
import java.sql.Types;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The only way a service sends a message: a row in its own {@code outbox} table, written in the
 * caller's transaction. The relay publishes it after commit; a rollback leaves nothing to publish,
 * so state and messages can never disagree (no dual write).
 */
public class OutboxWriter implements Outbox {

    private final JdbcClient jdbc;
    private final MessageCodec codec;
    private final TraceContext trace;

    public OutboxWriter(JdbcClient jdbc, MessageCodec codec, TraceContext trace) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.trace = trace;
    }

    /**
     * Appends {@code message} to the outbox, keyed by its order id so that Kafka keeps one order's
     * messages in order. Inside a message's handling (see {@link Causation}) the row records that message's id
     * as its {@code causation_id}. The row's {@code traceparent} is the current span's (see {@link TraceContext}).
     *
     * @return the message id (the {@code event-id} header consumers deduplicate on)
     * @throws IllegalStateException outside a transaction, where the row would commit on its own
     */
    @Override
    public UUID append(Message message) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("OutboxWriter.append(" + message.getClass().getSimpleName()
                    + ") must run inside the transaction that changes the business state");
        }
        MessageType<?> type = MessageCatalog.of(message.getClass());
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox (id, aggregatetype, aggregateid, type, schema_version, payload, traceparent, causation_id)
                values (:id, :aggregateType, :aggregateId, :type, :schemaVersion, cast(:payload as jsonb), :traceparent,
                        :causationId)
                """)
                .param("id", id)
                .param("aggregateType", type.aggregateType())
                .param("aggregateId", message.orderId().toString())
                .param("type", type.name())
                .param("schemaVersion", type.schemaVersion())
                .param("payload", codec.toJson(message))
                .param("traceparent", trace.forOutgoingMessage(type.name()))
                .param("causationId", Causation.current().orElse(null), Types.OTHER)
                .update();
        return id;
    }
}
