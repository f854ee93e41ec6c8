package dev.sagaplatform.cli.chaos.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget.Toxic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An action made concrete for one target: what injects the fault, how long it is held, and what undoes
 * it. The undo runs when the hold ends; if the run is cut short (a failed step, a timeout, Ctrl-C) the
 * runner runs every pending undo anyway.
 *
 * @param hold how long the fault stays before its undo (null: the undo waits for the rollbacks)
 */
public record FaultPlan(List<Operation> inject, Duration hold, List<Operation> undo) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public FaultPlan {
        inject = List.copyOf(inject);
        undo = List.copyOf(undo);
    }

    /** The plan of one action on one target. */
    public static FaultPlan of(Activity action, ChaosTarget anyNamespace) {
        ChaosTarget target = action.namespace() != null ? anyNamespace.inNamespace(action.namespace()) : anyNamespace;
        String service = action.service();
        String peer = action.peer();
        return switch (action.action()) {
            // Without a replica these act on every instance of the service; start brings back whatever is missing.
            case KILL -> action.flag("restart", true)
                    ? new FaultPlan(List.of(target.kill(service, action.replica())), action.durationArgument("restart_after", Duration.ZERO),
                    List.of(target.start(service)))
                    : new FaultPlan(List.of(target.kill(service, action.replica())), null, List.of(target.start(service)));
            case PAUSE -> new FaultPlan(List.of(target.pause(service, action.replica())), action.duration(),
                    List.of(target.resume(service, action.replica())));
            case RESTART -> new FaultPlan(List.of(target.stop(service, action.replica()), target.start(service)), Duration.ZERO, List.of());
            case ROLLING_RESTART -> new FaultPlan(List.of(target.rollingRestart(service)), Duration.ZERO, List.of(target.start(service)));
            case START -> new FaultPlan(List.of(target.start(service)), Duration.ZERO, List.of());
            case LATENCY -> toxics(action, target, "latency", attributes("latency", millis(action, "latency"), "jitter", millis(action, "jitter")));
            case BANDWIDTH -> toxics(action, target, "bandwidth", attributes("rate", (long) action.number("rate", 0)));
            case CONNECTION_RESET -> toxics(action, target, "reset_peer", attributes("timeout", millis(action, "after")));
            case BLACK_HOLE -> {
                // Both directions: a request never arrives and an answer already on its way never comes back.
                List<Operation> inject = new ArrayList<>();
                List<Operation> undo = new ArrayList<>();
                for (String stream : List.of("upstream", "downstream")) {
                    String name = "chaos-timeout-" + stream;
                    inject.add(target.addToxic(service, peer, new Toxic(name, "timeout", stream, 1.0, attributes("timeout", 0L))));
                    undo.add(target.removeToxic(service, peer, name));
                }
                yield new FaultPlan(inject, action.duration(), undo);
            }
            case PARTITION -> new FaultPlan(List.of(target.enablePath(service, peer, false)), action.duration(),
                    List.of(target.enablePath(service, peer, true)));
            case HEAL_NETWORK -> new FaultPlan(List.of(target.healNetwork(service)), Duration.ZERO, List.of());
            case GATEWAY_FAULT -> new FaultPlan(List.of(target.gatewayFaults(gatewaySettings(action))), action.duration(),
                    List.of(target.healGateway()));
            case HEAL_GATEWAY -> new FaultPlan(List.of(target.healGateway()), Duration.ZERO, List.of());
            case KILL_RELAY_MID_BATCH -> new FaultPlan(List.of(target.awaitRelayBacklog(Duration.ofSeconds(30)), target.kill(service)),
                    action.durationArgument("restart_after", Duration.ZERO), List.of(target.start(service)));
            case STOP_KAFKA, RESTART_POSTGRES -> new FaultPlan(List.of(target.stop(service)), action.duration(), List.of(target.start(service)));
            case REWIND_CONSUMER_GROUP -> new FaultPlan(List.of(target.stop(service),
                    target.rewindConsumerGroup(service, (long) action.number("messages", 100)), target.start(service)), Duration.ZERO,
                    List.of(target.start(service)));
            case POISON_MESSAGE -> new FaultPlan(List.of(target.publish(action.text("topic", "order.events"),
                    action.text("payload", "{this is not json"), (int) action.number("count", 1))), Duration.ZERO, List.of());
        };
    }

    private static FaultPlan toxics(Activity action, ChaosTarget target, String type, Map<String, Object> attributes) {
        String streams = action.text("stream", "downstream");
        List<String> directions = "both".equals(streams) ? List.of("downstream", "upstream") : List.of(streams);
        List<Operation> inject = new ArrayList<>();
        List<Operation> undo = new ArrayList<>();
        for (String stream : directions) {
            String name = "chaos-" + type + "-" + stream;
            inject.add(target.addToxic(action.service(), action.peer(), new Toxic(name, type, stream, 1.0, attributes)));
            undo.add(target.removeToxic(action.service(), action.peer(), name));
        }
        return new FaultPlan(inject, action.duration(), undo);
    }

    private static String gatewaySettings(Activity action) {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("errorRate", action.number("error_rate", 0));
        settings.put("latencyMs", millis(action, "latency"));
        settings.put("latencyJitterMs", millis(action, "jitter"));
        settings.put("hang", action.flag("hang", false));
        settings.put("reset", action.flag("reset", false));
        return settings.toString();
    }

    private static long millis(Activity action, String key) {
        return action.durationArgument(key, Duration.ZERO).toMillis();
    }

    private static Map<String, Object> attributes(Object... keysAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return attributes;
    }
}
