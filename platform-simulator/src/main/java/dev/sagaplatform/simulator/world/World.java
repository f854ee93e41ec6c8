package dev.sagaplatform.simulator.world;

import dev.sagaplatform.messaging.inbox.Inbox;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.orchestrator.saga.domain.ParticipantBacklog;
import dev.sagaplatform.simulator.broker.Broker;
import dev.sagaplatform.simulator.node.Node;
import dev.sagaplatform.simulator.node.Relay;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.InMemoryInbox;
import dev.sagaplatform.simulator.store.InMemoryOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one simulated schedule runs in: the clock, the event loop, the seed's random choices, the broker, the
 * services' databases and processes, the relays, the faults. Services register here as they are built
 * ({@link #database}, {@link #node}, {@link #outbox}).
 */
public final class World {

    private final SimClock clock = new SimClock();
    private final EventLoop loop = new EventLoop(clock);
    private final SimRandom random;
    private final Broker broker = new Broker();
    private final History history;
    private final PlantedBugs bugs;
    /**
     * One registry for every world: registering the services' meters anew for each schedule would cost more than the
     * schedule. The simulator reads no meter; the gauges keep reading the first world's stores, harmlessly.
     */
    private static final MeterRegistry METERS = new SimpleMeterRegistry();
    private final Map<String, Database> databases = new LinkedHashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Relay> relays = new LinkedHashMap<>();
    private Faults faults;
    private String failure;

    public World(long seed, PlantedBugs bugs, boolean keepHistory) {
        this.random = new SimRandom(seed);
        this.bugs = bugs;
        this.history = keepHistory ? History.kept(clock) : History.discarded(clock);
    }

    /** Set once the workload is known, before anything runs: faults strike until {@code endMicros}. */
    public void faults(Faults faults) {
        this.faults = faults;
    }

    public Faults faults() {
        return faults;
    }

    public SimClock clock() {
        return clock;
    }

    public EventLoop loop() {
        return loop;
    }

    public SimRandom random() {
        return random;
    }

    public Broker broker() {
        return broker;
    }

    public PlantedBugs bugs() {
        return bugs;
    }

    public MeterRegistry meters() {
        return METERS;
    }

    public History history() {
        return history;
    }

    /** A service's database with its relay: committed outbox rows are published to the broker. */
    public Database database(String service) {
        return databases.computeIfAbsent(service, name -> {
            Database database = new Database(name);
            Relay relay = new Relay(this, database);
            relays.put(name, relay);
            database.onOutboxCommit(relay::wake);
            return database;
        });
    }

    public Outbox outbox(Database database) {
        return new InMemoryOutbox(database, random, clock);
    }

    /** A service process consuming with {@code subscription} (or none), through the inbox of its database. */
    public Node node(String name, Database database, MessageSubscription subscription) {
        Inbox inbox = new InMemoryInbox(database, bugs.has(PlantedBug.SKIP_INBOX));
        Node node = new Node(this, name, database, subscription, inbox);
        nodes.put(name, node);
        return node;
    }

    public Map<String, Node> nodes() {
        return nodes;
    }

    public Map<String, Relay> relays() {
        return relays;
    }

    public Map<String, Database> databases() {
        return databases;
    }

    /** Transactions committed in every database, for checks that need to run only when something changed. */
    public long totalCommits() {
        long total = 0;
        for (Database database : databases.values()) {
            total += database.commits();
        }
        return total;
    }

    /** Records consumed by every node's group (positions moved). */
    public long consumed() {
        long total = 0;
        for (Node node : nodes.values()) {
            if (node.group() != null) {
                total += node.group().moves();
            }
        }
        return total;
    }

    /** What the orchestrator learns of a participant's queue: the lag of its consumer group, and whether it is up. */
    public ParticipantBacklog backlogOf(String commandType, Duration waited) {
        String participant = switch (commandType) {
            case "AuthorizePayment", "RefundPayment" -> "payment-service";
            case "ReserveStock", "ReleaseStock" -> "inventory-service";
            default -> "order-service";
        };
        Node node = nodes.get(participant);
        if (node == null || node.group() == null) {
            return ParticipantBacklog.unknown();
        }
        long lag = node.group().lag();
        return new ParticipantBacklog(lag, node.isUp() && lag > 0, waited);
    }

    public void record(String line) {
        history.add(line);
    }

    /** Whether history lines are kept: callers skip building them otherwise (most schedules pass and need none). */
    public boolean recording() {
        return history.isKept();
    }

    /** A handler threw: in production it would be retried and then dead-lettered; here it is a finding. */
    public void handlerFailed(Node node, Broker.Record record, RuntimeException e) {
        fail(node.name() + " threw " + e + " while applying " + record.type().name() + " " + record.messageId()
                + " of order " + record.message().orderId());
    }

    /** The first violation ends the run. */
    public void fail(String violation) {
        if (failure == null) {
            failure = violation;
            record("VIOLATION " + violation);
        }
    }

    public String failure() {
        return failure;
    }
}
