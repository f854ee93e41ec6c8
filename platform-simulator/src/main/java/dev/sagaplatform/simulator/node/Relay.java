package dev.sagaplatform.simulator.node;

import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.world.World;

/**
 * The outbox relay of one service database, as Debezium runs it: it reads committed outbox rows in commit order,
 * publishes each, and commits its source offset now and then. A publish can be lost (the producer's send failed,
 * or the relay died before the broker acknowledged it); the relay then restarts from its last committed offset
 * and publishes again, so nothing is lost and some records arrive twice, which the consumers' inbox absorbs.
 */
public final class Relay {

    private final World world;
    private final Database source;
    private int position;
    private int committed;
    private boolean scheduled;
    private boolean restarting;

    public Relay(World world, Database source) {
        this.world = world;
        this.source = source;
    }

    /** Something committed to the source's outbox: publish it soon. */
    public void wake() {
        if (!scheduled && !restarting && position < source.outbox().size()) {
            scheduled = true;
            world.loop().after(world.faults().relayDelay(), "relay " + source.service(), this::publishOne);
        }
    }

    private void publishOne() {
        scheduled = false;
        if (position >= source.outbox().size()) {
            return;
        }
        Database.OutboxRow row = source.outbox().get(position);
        if (world.faults().losesPublish()) {
            if (world.recording()) {
                world.record("relay " + source.service() + " lost the publish of " + MessageCatalog.of(row.message().getClass()).name()
                        + " " + row.id().toString().substring(0, 8) + " and restarts from its committed offset " + committed);
            }
            position = committed;
            restarting = true;
            world.loop().after(world.faults().restartDelay(), "relay " + source.service() + " restart", () -> {
                restarting = false;
                wake();
            });
            return;
        }
        var record = world.broker().publish(row.id(), MessageCatalog.of(row.message().getClass()), row.message());
        if (world.recording()) {
            world.record("relay " + source.service() + " published " + Node.describe(record));
        }
        position++;
        // Debezium flushes its offset now and then, and always once it has caught up.
        if (world.faults().commitsOffsetNow() || position == source.outbox().size()) {
            committed = position;
        }
        wake();
    }

    /** Every committed outbox row has been published at least once. */
    public boolean caughtUp() {
        return position >= source.outbox().size();
    }
}
