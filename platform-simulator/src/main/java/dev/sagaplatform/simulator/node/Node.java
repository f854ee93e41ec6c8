package dev.sagaplatform.simulator.node;

import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.messaging.consumer.IncomingMessage;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.inbox.Inbox;
import dev.sagaplatform.messaging.trace.Causation;
import dev.sagaplatform.simulator.broker.Broker;
import dev.sagaplatform.simulator.broker.ConsumerGroup;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.SimulatedCrash;
import dev.sagaplatform.simulator.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One service process of the simulated world: its database (which outlives it), its consumer-group member running
 * the service's real {@link MessageSubscription} through the real inbox rule ({@link MessageSubscription#applyOnce}),
 * and its timers. It can crash at any point: the open transaction rolls back, uncommitted offsets are lost, timers
 * stop; it comes back after a while with nothing but what its database committed.
 */
public final class Node {

    private final World world;
    private final String name;
    private final Database database;
    private final MessageSubscription subscription;
    private final Inbox inbox;
    private final ConsumerGroup group;
    private boolean up = true;
    private boolean polling;
    private long incarnation;

    public Node(World world, String name, Database database, MessageSubscription subscription, Inbox inbox) {
        this.world = world;
        this.name = name;
        this.database = database;
        this.subscription = subscription;
        this.inbox = inbox;
        this.group = subscription == null ? null : new ConsumerGroup(world.broker(), subscription.consumer(), subscription.topics());
        if (group != null) {
            world.broker().onPublish(this::wake);
        }
    }

    public String name() {
        return name;
    }

    public Database database() {
        return database;
    }

    public boolean isUp() {
        return up;
    }

    public ConsumerGroup group() {
        return group;
    }

    /** A timer of this process: runs {@code action} every {@code intervalMicros} (give or take the timer faults) while up. */
    public void every(long intervalMicros, String what, Runnable action) {
        Timer timer = new Timer(intervalMicros, what, action);
        timers.add(timer);
        arm(timer);
    }

    private record Timer(long intervalMicros, String what, Runnable action) {
    }

    private final List<Timer> timers = new ArrayList<>();

    private void arm(Timer timer) {
        long born = incarnation;
        world.loop().after(world.faults().timerDelay(timer.intervalMicros), name + " " + timer.what, () -> {
            if (!up || born != incarnation) {
                return; // this timer died with the process; the restarted process arms its own
            }
            if (maybeCrash(() -> "in " + timer.what)) {
                return;
            }
            try {
                timer.action.run();
            } catch (SimulatedCrash crash) {
                crash(crash.getMessage());
                return;
            }
            if (up && born == incarnation) { // a crash inside the action ended this timer; the restart arms a new one
                arm(timer);
            }
        });
    }

    /** Whether the crash fault strikes here; if it does, the process is down. */
    public boolean maybeCrash(Supplier<String> where) {
        if (world.faults().crashesNow()) {
            crash(where.get());
            return true;
        }
        return false;
    }

    /** A record arrived for the group: poll if idle. */
    private void wake() {
        if (up && !polling && group.readyPartitions() > 0) {
            polling = true;
            world.loop().after(world.faults().deliveryDelay(), name + " poll", this::deliverOne);
        }
    }

    private void deliverOne() {
        polling = false;
        if (!up) {
            return;
        }
        int ready = group.readyPartitions();
        if (ready == 0) {
            return;
        }
        // Which partition goes first is the broker's and the client's business: any order across partitions.
        Broker.Record record = group.peek(world.faults().reorders() ? world.random().below(ready) : 0);
        MessageType<?> type = subscription.handledType(record.type().name());
        if (type != null) {
            if (maybeCrash(() -> "before applying " + describe(record))) {
                return;
            }
            IncomingMessage<?> incoming = incoming(type, record);
            boolean applied;
            try {
                applied = database.inTransaction(() -> Causation.runWith(record.messageId(),
                        () -> subscription.applyOnce(incoming, inbox)));
            } catch (SimulatedCrash crash) {
                crash(crash.getMessage());
                return;
            } catch (RuntimeException e) {
                world.handlerFailed(this, record, e);
                return;
            }
            if (world.recording()) {
                world.record(name + (applied ? " applied " : " ignored duplicate ") + describe(record));
            }
            if (maybeCrash(() -> "after applying " + describe(record) + ", before committing its offset")) {
                return;
            }
        }
        group.advance(record);
        if (world.faults().commitsOffsetNow()) {
            group.commit(record);
        } else {
            // The container commits at the end of the polled batch, a little later: a crash before then redelivers.
            long born = incarnation;
            world.loop().after(world.faults().commitDelay(), name + " offset commit", () -> {
                if (up && born == incarnation) {
                    group.commitAll();
                }
            });
        }
        wake();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static IncomingMessage<?> incoming(MessageType<?> type, Broker.Record record) {
        return new IncomingMessage(record.messageId(), type, record.message(), null, record.topic(), record.partition(),
                record.offset());
    }

    static String describe(Broker.Record record) {
        return record.type().name() + " " + record.messageId().toString().substring(0, 8) + " of order "
                + record.message().orderId().toString().substring(0, 8) + " (" + record.topic() + "-" + record.partition()
                + "@" + record.offset() + ")";
    }

    /** The process dies now; it restarts after a while. */
    public void crash(String where) {
        if (!up) {
            return;
        }
        up = false;
        polling = false;
        incarnation++;
        if (group != null) {
            group.rewindToCommitted();
        }
        if (world.recording()) {
            world.record(name + " CRASHED " + where);
        }
        world.loop().after(world.faults().restartDelay(), name + " restart", this::restart);
    }

    private void restart() {
        up = true;
        if (world.recording()) {
            world.record(name + " restarted");
        }
        timers.forEach(this::arm);
        if (group != null) {
            wake();
        }
    }
}
