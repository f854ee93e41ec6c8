package dev.sagaplatform.messaging.outbox;

import dev.sagaplatform.contracts.Message;
import java.util.UUID;

/**
 * The port every service sends through: a message appended here leaves only if the caller's transaction
 * commits. {@link OutboxWriter} is the production adapter (a row in the service's {@code outbox} table,
 * relayed by Debezium); the deterministic simulator has an in-memory one, so that both run the same
 * business code.
 */
public interface Outbox {

    /**
     * @return the message id (the {@code event-id} header consumers deduplicate on)
     * @throws IllegalStateException outside a transaction, where the message would leave on its own
     */
    UUID append(Message message);
}
