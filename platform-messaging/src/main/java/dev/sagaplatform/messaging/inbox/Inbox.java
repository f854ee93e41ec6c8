package dev.sagaplatform.messaging.inbox;

import java.util.UUID;

/**
 * The port of idempotent consumers: which messages each consumer has already applied. {@link ProcessedMessages}
 * is the production adapter (the {@code processed_message} table); the deterministic simulator has an
 * in-memory one.
 */
public interface Inbox {

    /**
     * Records that {@code consumer} applies {@code messageId} now. Must run in the transaction that
     * applies the effect: if that transaction rolls back, the message counts as not processed.
     *
     * @return {@code false} if the message was already applied (or is being applied by a concurrent
     *         transaction that then commits): the caller must skip the effect
     */
    boolean markProcessed(String consumer, UUID messageId, String messageType);
}
