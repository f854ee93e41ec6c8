package dev.sagaplatform.simulator.store;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.messaging.trace.Causation;
import java.time.Clock;
import java.util.UUID;

/** The simulator's adapter of the {@link Outbox} port: a row in the service's database, visible once it commits. */
public final class InMemoryOutbox implements Outbox {

    private final Database database;
    private final IdGenerator ids;
    private final Clock clock;

    public InMemoryOutbox(Database database, IdGenerator ids, Clock clock) {
        this.database = database;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public UUID append(Message message) {
        if (!database.inTransaction()) {
            throw new IllegalStateException("Outbox.append(" + message.getClass().getSimpleName()
                    + ") must run inside the transaction that changes the business state");
        }
        UUID id = ids.next();
        database.append(id, message, Causation.current().orElse(null), clock.instant());
        return id;
    }
}
