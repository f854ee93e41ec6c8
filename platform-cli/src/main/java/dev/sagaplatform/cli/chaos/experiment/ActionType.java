package dev.sagaplatform.cli.chaos.experiment;

import static dev.sagaplatform.cli.chaos.experiment.Argument.optional;
import static dev.sagaplatform.cli.chaos.experiment.Argument.required;

import dev.sagaplatform.cli.chaos.experiment.Argument.Kind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every fault an experiment can inject, with the names engineers commonly write for it, what it needs
 * and how it is undone. The runner undoes every fault it injected at the end of the run, whatever the
 * experiment's own rollbacks say, so nothing stays broken after a failed step, a timeout or Ctrl-C.
 */
public enum ActionType implements Vocabulary {

    KILL("kill", "SIGKILL the process (every instance, or target replica: K only), then start it again (restart: false leaves it"
            + " down until the rollbacks)",
            Targeting.ANY_COMPONENT, false, Set.of("kill-process", "kill-pod", "kill-service", "pod-kill", "terminate", "crash"),
            optional("restart", Kind.BOOLEAN, "start it again right away (default true)"),
            optional("restart_after", Kind.DURATION, "how long it stays down before it is started again (default 0s)")),
    PAUSE("pause", "SIGSTOP the process (every instance, or target replica: K only) for the duration, then SIGCONT (a hung process:"
            + " sockets open, nothing answers)",
            Targeting.ANY_COMPONENT, true, Set.of("freeze", "pod-freeze", "sigstop", "stop-process", "hang")),
    RESTART("restart", "stop the process gracefully (SIGTERM; every instance, or target replica: K only) and start it again",
            Targeting.ANY_COMPONENT, false,
            Set.of("restart-service", "restart-pod", "graceful-restart")),
    ROLLING_RESTART("rolling-restart", "restart every instance of the service one at a time (SIGTERM, start it, wait until it is"
            + " ready, then the next), as a rolling deployment does", Targeting.ANY_COMPONENT, false,
            Set.of("rollout-restart", "rolling-update", "rolling-deploy", "rolling-deployment")),
    START("start", "start the component if it is not running, and SIGCONT it if it is paused (the undo of kill and pause)",
            Targeting.ANY_COMPONENT, false, Set.of("resume", "unpause", "sigcont", "ensure-running")),
    LATENCY("latency", "add latency (and jitter) to every packet between the service and its peer",
            Targeting.NETWORK_PATH, true, Set.of("network-latency", "network-delay", "delay", "slow-network", "add-latency"),
            required("latency", Kind.DURATION, "the added delay per chunk of data"),
            optional("jitter", Kind.DURATION, "random +/- variation of the delay (default 0)"),
            optional("stream", Kind.TEXT, "downstream (answers, default), upstream (requests) or both")),
    BANDWIDTH("bandwidth", "limit the throughput between the service and its peer", Targeting.NETWORK_PATH, true,
            Set.of("bandwidth-limit", "network-bandwidth", "throttle"),
            required("rate", Kind.NUMBER, "KB per second"),
            optional("stream", Kind.TEXT, "downstream (default), upstream or both")),
    CONNECTION_RESET("connection-reset", "reset every connection between the service and its peer (TCP RST), new ones too",
            Targeting.NETWORK_PATH, true, Set.of("reset-peer", "reset", "tcp-reset", "connection-drop"),
            optional("after", Kind.DURATION, "how long a connection lives before it is reset (default 0)")),
    BLACK_HOLE("black-hole", "stop all data between the service and its peer: connections hang, calls time out",
            Targeting.NETWORK_PATH, true, Set.of("blackhole", "timeout", "network-blackhole", "drop-traffic")),
    PARTITION("network-partition", "cut the service off from its peer: connections refused, open ones closed",
            Targeting.NETWORK_PATH, true, Set.of("partition", "network-split", "disconnect", "isolate")),
    HEAL_NETWORK("heal-network", "remove every network fault (of the target's paths, or all without a target)",
            Targeting.OPTIONAL_SERVICE, false, Set.of("heal", "heal-partition", "remove-toxics", "network-heal", "reset-network")),
    GATEWAY_FAULT("gateway-fault", "make the payment-gateway fail, slow down or hang through its admin API",
            Targeting.GATEWAY_ONLY, true, Set.of("payment-gateway-fault", "gateway-errors", "gateway-latency", "gateway-outage"),
            optional("error_rate", Kind.RATIO, "share of charges and refunds answered 5xx"),
            optional("latency", Kind.DURATION, "added latency"),
            optional("jitter", Kind.DURATION, "random extra latency up to this"),
            optional("hang", Kind.BOOLEAN, "never answer"),
            optional("reset", Kind.BOOLEAN, "drop the connection")),
    HEAL_GATEWAY("heal-gateway", "make the payment-gateway healthy again (DELETE /admin/faults)", Targeting.GATEWAY_ONLY, false,
            Set.of("gateway-heal", "clear-gateway-faults")),
    KILL_RELAY_MID_BATCH("kill-relay-mid-batch", "SIGKILL the outbox relay while outbox rows are unpublished, then start it",
            Targeting.NONE, false, Set.of("kill-relay", "relay-crash"),
            optional("restart_after", Kind.DURATION, "how long it stays down (default 0s)")),
    STOP_KAFKA("stop-kafka", "stop the Kafka broker for the duration, then start it", Targeting.NONE, true,
            Set.of("kafka-outage", "broker-down", "restart-kafka", "kafka-down")),
    RESTART_POSTGRES("restart-postgres", "stop PostgreSQL (fast shutdown, every connection cut) for the duration, then start it",
            Targeting.NONE, false, Set.of("postgres-restart", "database-restart", "restart-database", "postgres-outage")),
    REWIND_CONSUMER_GROUP("rewind-consumer-group", "stop the service, move its consumer group back so that consumed messages"
            + " are delivered again, start it", Targeting.SERVICE_WITH_CONSUMERS, false,
            Set.of("redeliver", "replay-messages", "reset-offsets", "rewind-offsets"),
            optional("messages", Kind.NUMBER, "how many messages per partition to go back (default 100)")),
    POISON_MESSAGE("poison-message", "publish messages no consumer can read on a platform topic", Targeting.NONE, false,
            Set.of("publish-poison", "poison", "malformed-message"),
            optional("topic", Kind.TEXT, "the topic (default order.events)"),
            optional("count", Kind.NUMBER, "how many (default 1)"),
            optional("payload", Kind.TEXT, "the raw value (default: not JSON)"));

    /** What an action may be pointed at. */
    public enum Targeting {
        ANY_COMPONENT, NETWORK_PATH, OPTIONAL_SERVICE, GATEWAY_ONLY, SERVICE_WITH_CONSUMERS, NONE
    }

    private final String id;
    private final String describe;
    private final Targeting targeting;
    private final boolean needsDuration;
    private final Set<String> aliases;
    private final List<Argument> arguments;

    ActionType(String id, String describe, Targeting targeting, boolean needsDuration, Set<String> aliases, Argument... arguments) {
        this.id = id;
        this.describe = describe;
        this.targeting = targeting;
        this.needsDuration = needsDuration;
        this.aliases = aliases;
        this.arguments = List.of(arguments);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<String> aliases() {
        return aliases;
    }

    public String describe() {
        return describe;
    }

    public Targeting targeting() {
        return targeting;
    }

    public boolean needsDuration() {
        return needsDuration;
    }

    public List<Argument> arguments() {
        return arguments;
    }

    public boolean isNetworkFault() {
        return targeting == Targeting.NETWORK_PATH;
    }

    public static Optional<ActionType> resolve(String name) {
        return Vocabulary.resolve(values(), name);
    }

    public static List<String> ids() {
        return Vocabulary.ids(values());
    }
}
