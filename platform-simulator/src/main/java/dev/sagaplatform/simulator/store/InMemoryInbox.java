package dev.sagaplatform.simulator.store;

import dev.sagaplatform.messaging.inbox.Inbox;
import java.util.UUID;

/**
 * The simulator's adapter of the {@link Inbox} port. {@code forgetful} is the planted bug SKIP_INBOX: every message
 * counts as new, so a redelivery is applied again.
 */
public final class InMemoryInbox implements Inbox {

    private final Database database;
    private final boolean forgetful;

    public InMemoryInbox(Database database, boolean forgetful) {
        this.database = database;
        this.forgetful = forgetful;
    }

    @Override
    public boolean markProcessed(String consumer, UUID messageId, String messageType) {
        boolean fresh = database.markProcessed(consumer, messageId);
        return forgetful || fresh;
    }
}
