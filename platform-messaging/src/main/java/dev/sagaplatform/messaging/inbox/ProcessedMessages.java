package dev.sagaplatform.messaging.inbox;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The inbox table of idempotent consumers: which messages each consumer has already applied. */
public class ProcessedMessages implements Inbox {

    private final JdbcClient jdbc;

    public ProcessedMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean markProcessed(String consumer, UUID messageId, String messageType) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("markProcessed must run in the transaction of the message's effect");
        }
        return jdbc.sql("""
                insert into processed_message (consumer, message_id, message_type)
                values (:consumer, :messageId, :messageType)
                on conflict do nothing
                """)
                .param("consumer", consumer)
                .param("messageId", messageId)
                .param("messageType", messageType)
                .update() == 1;
    }

    public boolean isProcessed(String consumer, UUID messageId) {
        return jdbc.sql("select count(*) from processed_message where consumer = :consumer and message_id = :messageId")
                .param("consumer", consumer)
                .param("messageId", messageId)
                .query(Long.class)
                .single() > 0;
    }
}
