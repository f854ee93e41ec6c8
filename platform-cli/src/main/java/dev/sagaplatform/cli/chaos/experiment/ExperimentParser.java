package dev.sagaplatform.cli.chaos.experiment;

import dev.sagaplatform.cli.chaos.experiment.Argument.Kind;
import dev.sagaplatform.cli.chaos.experiment.ExperimentException.Problem;
import dev.sagaplatform.contracts.Topics;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads an experiment file in either shape — Chaos Toolkit's ({@code title}, {@code steady-state-hypothesis},
 * {@code method}, {@code rollbacks}) or the short one ({@code experiment: {name, steady_state, method, rollback,
 * metrics_to_watch}}) — and validates all of it before anything runs: every problem is reported with its
 * line and the allowed values, keys the runner does not use are reported as ignored.
 *
 * <p>Read through SnakeYAML's node API rather than a data binder because every node carries its line.
 */
public final class ExperimentParser {

    /** No single fault lasts longer than this: an experiment must end on its own. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    static final Experiment.LoadProfile DEFAULT_LOAD = new Experiment.LoadProfile(5, "MIXED");
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(120);

    private static final Set<String> STEP_KEYS = Set.of("action", "probe", "name", "type", "target", "duration", "pauses",
            "pause_before", "pause_after", "background", "description", "parameters", "args", "arguments", "to", "peer", "from",
            "between", "tolerance", "expected_status", "expected", "min", "max", "service");
    private static final String ACTIONS_MODULE = "sagaplatform.actions";
    private static final String PROBES_MODULE = "sagaplatform.probes";

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private ExperimentParser(String source) {
        this.source = source;
    }

    /**
     * @param source the file's name, for messages
     * @throws ExperimentException every problem found, each with its line
     */
    public static Experiment parse(String text, String source) throws ExperimentException {
        ExperimentParser parser = new ExperimentParser(source);
        try {
            return parser.read(text);
        }
        catch (RuntimeException ex) {
            // A shape this validator did not foresee: still an error about the file, never a crash.
            List<Problem> problems = new ArrayList<>(parser.problems);
            problems.add(new Problem(0, "cannot read this file: " + ex));
            throw new ExperimentException(source, problems);
        }
    }

    private Experiment read(String text) throws ExperimentException {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        }
        catch (MarkedYAMLException ex) {
            int line = ex.getProblemMark() != null ? ex.getProblemMark().getLine() + 1 : 0;
            throw new ExperimentException(source, List.of(new Problem(line, "not valid YAML: " + ex.getProblem())));
        }
        catch (YAMLException ex) {
            throw new ExperimentException(source, List.of(new Problem(0, "not valid YAML: " + ex.getMessage())));
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ExperimentException(source, List.of(new Problem(root == null ? 0 : line(root),
                    "an experiment is a YAML mapping: either Chaos Toolkit's (title, steady-state-hypothesis, method, rollbacks)"
                            + " or the short shape (experiment: {name, hypothesis, steady_state, method, rollback, metrics_to_watch})")));
        }
        Map<String, NodeTuple> top = entries(mapping);
        Experiment experiment;
        if (top.containsKey("experiment")) {
            ignoreOthers(top, Set.of("experiment"), "");
            experiment = readShort(top.get("experiment").getValueNode());
        }
        else if (top.containsKey("method") || top.containsKey("title") || top.containsKey("steady-state-hypothesis")) {
            experiment = readChaosToolkit(top);
        }
        else {
            throw new ExperimentException(source, List.of(new Problem(line(root), "neither shape: a Chaos Toolkit experiment has"
                    + " title and method; the short shape has a top-level experiment: key")));
        }
        if (!problems.isEmpty()) {
            throw new ExperimentException(source, problems);
        }
        return experiment;
    }

    // ---------------------------------------------------------------- the short shape

    private Experiment readShort(Node node) {
        Map<String, NodeTuple> keys = mapping(node, "experiment");
        if (keys == null) {
            return null;
        }
        ignoreOthers(keys, Set.of("name", "title", "description", "hypothesis", "steady_state", "method", "rollback", "rollbacks",
                "metrics_to_watch", "load", "settle", "tags"), "experiment.");
        String name = text(keys, "name", null);
        if (name == null) {
            name = text(keys, "title", null);
        }
        if (name == null) {
            problems.add(new Problem(line(node), "experiment.name is missing: give the experiment a name"));
        }
        List<Activity> steadyState = new ArrayList<>();
        for (Node step : sequence(keys, "steady_state")) {
            Activity probe = shortStep(step, true);
            if (probe != null) {
                steadyState.add(probe);
            }
        }
        List<Activity> method = new ArrayList<>();
        for (Node step : sequence(keys, "method")) {
            Activity activity = shortStep(step, false);
            if (activity != null) {
                method.add(activity);
            }
        }
        if (method.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(line(node), "experiment.method is missing or empty: list at least one action"));
        }
        if (keys.containsKey("rollback") && keys.containsKey("rollbacks")) {
            problems.add(new Problem(line(keys.get("rollbacks").getKeyNode()), "give rollback: or rollbacks:, not both"));
        }
        List<Activity> rollbacks = rollbacks(sequence(keys, keys.containsKey("rollback") ? "rollback" : "rollbacks"), step -> shortStep(step, false));
        List<MetricWatch> watches = new ArrayList<>();
        for (Node item : sequence(keys, "metrics_to_watch")) {
            watch(item).ifPresent(watches::add);
        }
        return new Experiment(name, text(keys, "description", ""), Experiment.Shape.SHORT, text(keys, "hypothesis", ""),
                steadyState, method, rollbacks, load(valueOf(keys, "load")), watches, settle(valueOf(keys, "settle")), tags(keys.get("tags")),
                notes);
    }

    /** A step of the short shape: {@code - action: kill} or {@code - probe: name, type: http, ...}. */
    private Activity shortStep(Node node, boolean steadyState) {
        Map<String, NodeTuple> keys = mapping(node, steadyState ? "a steady_state probe" : "a step");
        if (keys == null) {
            return null;
        }
        boolean probe = keys.containsKey("probe") || steadyState && !keys.containsKey("action");
        Map<String, Node> arguments = new LinkedHashMap<>();
        for (String nested : List.of("parameters", "args", "arguments")) {
            if (keys.containsKey(nested)) {
                Map<String, NodeTuple> inner = mapping(keys.get(nested).getValueNode(), nested);
                if (inner != null) {
                    inner.forEach((key, tuple) -> arguments.put(key, tuple.getValueNode()));
                }
            }
        }
        keys.forEach((key, tuple) -> {
            if (!STEP_KEYS.contains(key) || Set.of("expected", "min", "max").contains(key)) {
                arguments.put(key, tuple.getValueNode());
            }
        });
        if (probe) {
            String name = text(keys, "probe", text(keys, "name", null));
            String type = text(keys, "type", null);
            if (type == null) {
                problems.add(new Problem(line(node), "probe " + (name == null ? "" : "'" + name + "' ") + "has no type: one of "
                        + String.join(", ", ProbeType.ids())));
                return null;
            }
            if (keys.containsKey("expected_status")) {
                arguments.put("expected_status", keys.get("expected_status").getValueNode());
            }
            return probe(node, name, type, keys.get("service") == null ? null : keys.get("service").getValueNode(), arguments,
                    keys.get("tolerance") == null ? null : keys.get("tolerance").getValueNode(), steadyState);
        }
        String actionName = text(keys, "action", null);
        if (actionName == null) {
            problems.add(new Problem(line(node), "a step needs 'action:' (one of " + String.join(", ", ActionType.ids())
                    + ") or 'probe:'"));
            return null;
        }
        Duration duration = keys.containsKey("duration") ? duration(keys.get("duration").getValueNode(), "duration") : null;
        Duration before = keys.containsKey("pause_before") ? duration(keys.get("pause_before").getValueNode(), "pause_before") : Duration.ZERO;
        Duration after = keys.containsKey("pause_after") ? duration(keys.get("pause_after").getValueNode(), "pause_after") : Duration.ZERO;
        if (keys.containsKey("pauses")) {
            Duration[] pauses = pauses(keys.get("pauses").getValueNode());
            before = pauses[0];
            after = pauses[1];
        }
        Node target = keys.get("target") == null ? null : keys.get("target").getValueNode();
        Node service = keys.get("service") == null ? null : keys.get("service").getValueNode();
        Node peer = null;
        for (String key : List.of("to", "peer", "from")) {
            if (keys.containsKey(key)) {
                peer = keys.get(key).getValueNode();
            }
        }
        if (keys.containsKey("between")) {
            Node between = keys.get("between").getValueNode();
            if (between instanceof SequenceNode pair && pair.getValue().size() == 2) {
                service = pair.getValue().get(0);
                peer = pair.getValue().get(1);
            }
            else {
                problems.add(new Problem(line(between), "between: takes two components, e.g. between: [order-service, kafka]"));
            }
        }
        return action(node, text(keys, "name", null), actionName, target, service, peer, arguments, duration,
                bool(keys, "background"), before, after);
    }

    // ---------------------------------------------------------------- Chaos Toolkit's shape

    private Experiment readChaosToolkit(Map<String, NodeTuple> top) {
        for (String ignored : List.of("controls", "secrets", "contributions", "runtime")) {
            if (top.containsKey(ignored)) {
                notes.add("line " + line(top.get(ignored).getKeyNode()) + ": '" + ignored + "' is ignored by this runner");
            }
        }
        ignoreOthers(top, Set.of("title", "description", "tags", "configuration", "steady-state-hypothesis", "method", "rollbacks",
                "extensions", "controls", "secrets", "contributions", "runtime", "version"), "");
        String title = text(top, "title", null);
        if (title == null) {
            problems.add(new Problem(1, "title is missing: Chaos Toolkit experiments have a title"));
        }
        Map<String, Node> configuration = new HashMap<>();
        if (top.containsKey("configuration")) {
            Map<String, NodeTuple> config = mapping(top.get("configuration").getValueNode(), "configuration");
            if (config != null) {
                config.forEach((key, tuple) -> configuration.put(key, tuple.getValueNode()));
            }
        }
        String hypothesis = "";
        List<Activity> steadyState = new ArrayList<>();
        if (top.containsKey("steady-state-hypothesis")) {
            Map<String, NodeTuple> ssh = mapping(top.get("steady-state-hypothesis").getValueNode(), "steady-state-hypothesis");
            if (ssh != null) {
                ignoreOthers(ssh, Set.of("title", "probes"), "steady-state-hypothesis.");
                hypothesis = text(ssh, "title", "");
                for (Node probe : sequence(ssh, "probes")) {
                    Activity activity = toolkitActivity(probe, true);
                    if (activity != null) {
                        steadyState.add(activity);
                    }
                }
            }
        }
        List<Activity> method = new ArrayList<>();
        for (Node step : sequence(top, "method")) {
            Activity activity = toolkitActivity(step, false);
            if (activity != null) {
                method.add(activity);
            }
        }
        if (method.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(1, "method is missing or empty: list at least one action"));
        }
        List<Activity> rollbacks = rollbacks(sequence(top, "rollbacks"), step -> toolkitActivity(step, false));
        // This runner's own settings travel as a Chaos Toolkit extension, which other tools ignore.
        Node load = null;
        Node settle = null;
        List<MetricWatch> watches = new ArrayList<>();
        for (Node extension : sequence(top, "extensions")) {
            Map<String, NodeTuple> keys = mapping(extension, "an extension");
            if (keys == null || !"saga-platform".equals(text(keys, "name", null))) {
                continue;
            }
            ignoreOthers(keys, Set.of("name", "load", "settle", "metrics_to_watch"), "extensions[saga-platform].");
            load = keys.get("load") == null ? null : keys.get("load").getValueNode();
            settle = keys.get("settle") == null ? null : keys.get("settle").getValueNode();
            for (Node item : sequence(keys, "metrics_to_watch")) {
                watch(item).ifPresent(watches::add);
            }
        }
        return new Experiment(title, text(top, "description", ""), Experiment.Shape.CHAOS_TOOLKIT, hypothesis, steadyState, method,
                rollbacks, load(load), watches, settle(settle), tags(top.get("tags")), notes);
    }

    /** {@code {type: action|probe, name, provider: {...}, tolerance, pauses, background}}. */
    private Activity toolkitActivity(Node node, boolean steadyState) {
        Map<String, NodeTuple> keys = mapping(node, "an activity");
        if (keys == null) {
            return null;
        }
        if (keys.containsKey("ref")) {
            problems.add(new Problem(line(node), "'ref' activities are not supported: repeat the activity instead"));
            return null;
        }
        ignoreOthers(keys, Set.of("type", "name", "provider", "tolerance", "pauses", "background", "controls"), "activity.");
        String kind = text(keys, "type", steadyState ? "probe" : null);
        String name = text(keys, "name", null);
        if (!"action".equals(kind) && !"probe".equals(kind)) {
            problems.add(new Problem(line(node), "activity " + (name == null ? "" : "'" + name + "' ") + "has type '" + kind
                    + "': use action or probe"));
            return null;
        }
        Map<String, NodeTuple> provider = keys.get("provider") == null ? null : mapping(keys.get("provider").getValueNode(), "provider");
        if (provider == null) {
            problems.add(new Problem(line(node), "activity " + (name == null ? "" : "'" + name + "' ") + "has no provider"));
            return null;
        }
        Duration[] pauses = keys.containsKey("pauses") ? pauses(keys.get("pauses").getValueNode()) : new Duration[] {Duration.ZERO, Duration.ZERO};
        Node tolerance = keys.get("tolerance") == null ? null : keys.get("tolerance").getValueNode();
        String providerType = text(provider, "type", null);
        Map<String, Node> arguments = new LinkedHashMap<>();
        if ("http".equals(providerType)) {
            ignoreOthers(provider, Set.of("type", "url", "method", "timeout", "headers", "arguments", "expected_status"), "provider.");
            provider.forEach((key, tuple) -> {
                if (Set.of("url", "method", "timeout").contains(key)) {
                    arguments.put(key, tuple.getValueNode());
                }
            });
            Activity probe = probe(node, name, "http", null, arguments, tolerance, steadyState);
            return probe == null ? null : withPauses(probe, pauses);
        }
        if ("process".equals(providerType)) {
            problems.add(new Problem(line(keys.get("provider").getValueNode()), "process providers run any program; this runner"
                    + " does not. Use module " + ACTIONS_MODULE + " (func: one of " + String.join(", ", funcs(ActionType.ids()))
                    + ") or " + PROBES_MODULE + " (func: one of " + String.join(", ", funcs(ProbeType.ids())) + ")"));
            return null;
        }
        if (!"python".equals(providerType)) {
            problems.add(new Problem(line(keys.get("provider").getValueNode()), "provider type '" + providerType
                    + "' is not supported: use http, or python with module " + ACTIONS_MODULE + " / " + PROBES_MODULE));
            return null;
        }
        ignoreOthers(provider, Set.of("type", "module", "func", "arguments"), "provider.");
        String module = text(provider, "module", "");
        String func = text(provider, "func", "");
        if (provider.containsKey("arguments")) {
            Map<String, NodeTuple> args = mapping(provider.get("arguments").getValueNode(), "arguments");
            if (args != null) {
                args.forEach((key, tuple) -> arguments.put(key, tuple.getValueNode()));
            }
        }
        int line = line(keys.get("provider").getValueNode());
        if (PROBES_MODULE.equals(module)) {
            Activity probe = probe(node, name, func, arguments.remove("service"), arguments, tolerance, steadyState);
            return probe == null ? null : withPauses(probe, pauses);
        }
        if (!ACTIONS_MODULE.equals(module)) {
            problems.add(new Problem(line, "module '" + module + "' is not one this runner has: use " + ACTIONS_MODULE + " (func: one of "
                    + String.join(", ", funcs(ActionType.ids())) + ") or " + PROBES_MODULE + " (func: one of "
                    + String.join(", ", funcs(ProbeType.ids())) + ")"));
            return null;
        }
        if ("probe".equals(kind)) {
            problems.add(new Problem(line, "a probe's provider must be http or " + PROBES_MODULE + ", not " + ACTIONS_MODULE));
            return null;
        }
        Node duration = arguments.remove("duration");
        Node target = arguments.remove("target");
        Node service = arguments.remove("service");
        Node peer = Optional.ofNullable(arguments.remove("to")).orElse(arguments.remove("peer"));
        return action(node, name, func.replace('_', '-'), target, service, peer, arguments,
                duration == null ? null : duration(duration, "duration"), bool(keys, "background"), pauses[0], pauses[1]);
    }

    /** Rollbacks undo: actions only (a probe there would measure a platform the rollbacks have not finished with). */
    private List<Activity> rollbacks(List<Node> steps, java.util.function.Function<Node, Activity> read) {
        List<Activity> rollbacks = new ArrayList<>();
        for (Node step : steps) {
            Activity activity = read.apply(step);
            if (activity != null && activity.isProbe()) {
                problems.add(new Problem(activity.line(), "rollbacks hold actions only; put probe '" + activity.name()
                        + "' in the steady-state hypothesis"));
            }
            else if (activity != null) {
                rollbacks.add(activity);
            }
        }
        return rollbacks;
    }

    private static List<String> funcs(List<String> ids) {
        return ids.stream().map(id -> id.replace('-', '_')).toList();
    }

    private static Activity withPauses(Activity activity, Duration[] pauses) {
        return new Activity(activity.name(), activity.action(), activity.probe(), activity.service(), activity.peer(),
                activity.namespace(), activity.arguments(), activity.duration(), activity.tolerance(), activity.background(),
                pauses[0], pauses[1], activity.line());
    }

    // ---------------------------------------------------------------- shared: actions, probes, tolerances

    private Activity action(Node node, String name, String actionName, Node target, Node serviceNode, Node peerNode,
                            Map<String, Node> rawArguments, Duration duration, boolean background, Duration before, Duration after) {
        int line = line(node);
        Optional<ActionType> resolved = ActionType.resolve(actionName);
        if (resolved.isEmpty()) {
            problems.add(new Problem(line, "unknown action '" + actionName + "': one of " + String.join(", ", ActionType.ids())));
            return null;
        }
        ActionType type = resolved.get();
        String service = null;
        String namespace = null;
        String peer = null;
        Node replicaNode = null;
        if (target != null) {
            if (target instanceof ScalarNode scalar) {
                serviceNode = scalar;
            }
            else {
                Map<String, NodeTuple> keys = mapping(target, "target");
                if (keys != null) {
                    ignoreOthers(keys, Set.of("service", "namespace", "to", "peer", "name", "pod", "deployment", "container", "labels",
                            "replica"), "target.");
                    replicaNode = keys.get("replica") == null ? null : keys.get("replica").getValueNode();
                    for (String key : List.of("service", "name", "deployment", "pod")) {
                        if (keys.containsKey(key) && serviceNode == null) {
                            serviceNode = keys.get(key).getValueNode();
                        }
                    }
                    namespace = text(keys, "namespace", null);
                    for (String key : List.of("to", "peer")) {
                        if (keys.containsKey(key)) {
                            peerNode = keys.get(key).getValueNode();
                        }
                    }
                }
            }
        }
        if (serviceNode != null) {
            String written = scalar(serviceNode);
            service = Services.resolve(written).orElse(null);
            if (service == null) {
                problems.add(new Problem(line(serviceNode), "unknown service '" + written + "': one of " + String.join(", ", Services.ALL)));
                return null;
            }
        }
        if (peerNode != null) {
            String written = scalar(peerNode);
            peer = Services.resolve(written).orElse(null);
            if (peer == null) {
                problems.add(new Problem(line(peerNode), "unknown peer '" + written + "': one of " + String.join(", ", Services.ALL)));
                return null;
            }
        }
        if (namespace != null) {
            notes.add("line " + line + ": namespace '" + namespace + "' is used by the k8s target and ignored by local and compose");
        }
        switch (type.targeting()) {
            case ANY_COMPONENT -> {
                if (service == null) {
                    problems.add(new Problem(line, type.id() + " needs a target: target: {service: <one of " + String.join(", ", Services.ALL) + ">}"));
                }
            }
            case NETWORK_PATH -> {
                if (service == null || peer == null) {
                    problems.add(new Problem(line, type.id() + " needs a path: target: {service: <service>, to: <peer>}; paths: " + paths()));
                }
                else if (!Services.PEERS.getOrDefault(service, List.of()).contains(peer)) {
                    if (Services.PEERS.getOrDefault(peer, List.of()).contains(service)) {
                        String swap = service;
                        service = peer;
                        peer = swap;
                    }
                    else {
                        problems.add(new Problem(line, "no path " + service + " -> " + peer + " on this platform; paths: " + paths()));
                    }
                }
            }
            case OPTIONAL_SERVICE -> {
                if (service != null && !Services.PEERS.containsKey(service)) {
                    problems.add(new Problem(line, type.id() + " target must be one of " + String.join(", ", Services.PEERS.keySet())
                            + " (or none for every path)"));
                }
            }
            case GATEWAY_ONLY -> {
                if (service != null && !Services.GATEWAY.equals(service)) {
                    problems.add(new Problem(line, type.id() + " acts on the payment-gateway only, not " + service));
                }
                service = Services.GATEWAY;
            }
            case SERVICE_WITH_CONSUMERS -> {
                if (service == null || !Services.isService(service) || Services.GATEWAY.equals(service) || Services.RELAY.equals(service)) {
                    problems.add(new Problem(line, type.id() + " needs a target service that consumes messages: one of " + Services.ORDER
                            + ", " + Services.PAYMENT + ", " + Services.INVENTORY + ", " + Services.ORCHESTRATOR));
                }
            }
            case NONE -> {
                if (service != null && !(type == ActionType.STOP_KAFKA && Services.KAFKA.equals(service))
                        && !(type == ActionType.RESTART_POSTGRES && Services.POSTGRES.equals(service))
                        && !(type == ActionType.KILL_RELAY_MID_BATCH && Services.RELAY.equals(service))) {
                    notes.add("line " + line + ": " + type.id() + " takes no target; '" + service + "' is ignored");
                }
                service = switch (type) {
                    case STOP_KAFKA -> Services.KAFKA;
                    case RESTART_POSTGRES -> Services.POSTGRES;
                    case KILL_RELAY_MID_BATCH -> Services.RELAY;
                    default -> null;
                };
            }
        }
        Map<String, Object> arguments = arguments(type.id(), type.arguments(), rawArguments, line);
        if (replicaNode != null) {
            Integer replica = replica(replicaNode, type, service);
            if (replica != null) {
                arguments.put("replica", replica);
            }
        }
        if (type == ActionType.KILL && duration != null && !arguments.containsKey("restart_after")) {
            arguments.put("restart_after", duration); // "kill it for 30s": down that long
            duration = null;
        }
        if (type.needsDuration() && duration == null && type != ActionType.STOP_KAFKA) {
            problems.add(new Problem(line, type.id() + " needs a duration (e.g. duration: 30s; at most " + Durations.format(MAX_DURATION) + ")"));
        }
        if (type == ActionType.STOP_KAFKA && duration == null) {
            duration = Duration.ofSeconds(10);
        }
        if (type == ActionType.RESTART_POSTGRES && duration == null) {
            duration = Duration.ZERO;
        }
        if (!type.needsDuration() && type != ActionType.RESTART_POSTGRES && duration != null) {
            notes.add("line " + line + ": " + type.id() + " takes no duration; it is ignored");
            duration = null;
        }
        if (type == ActionType.GATEWAY_FAULT && arguments.keySet().stream().noneMatch(Set.of("error_rate", "latency", "hang", "reset")::contains)) {
            problems.add(new Problem(line, "gateway-fault needs at least one of error_rate, latency, hang, reset"));
        }
        within(arguments, "messages", 1, 1_000_000, line);
        within(arguments, "count", 1, 1000, line);
        within(arguments, "rate", 1, 10_000_000, line);
        if (arguments.get("stream") instanceof String stream && !Set.of("downstream", "upstream", "both").contains(stream)) {
            problems.add(new Problem(line, "stream '" + stream + "': downstream, upstream or both"));
        }
        if (arguments.get("topic") instanceof String topic && !Topics.ALL.contains(topic)) {
            problems.add(new Problem(line, "topic '" + topic + "' is none of the platform's: " + String.join(", ", Topics.ALL)));
        }
        return new Activity(name == null ? type.id() : name, type, null, service, peer, namespace, arguments, duration, null,
                background, before, after, line);
    }

    /** Actions that may act on one instance of a service ({@code target: {replica: K}}). */
    private static final Set<ActionType> PER_REPLICA = java.util.EnumSet.of(ActionType.KILL, ActionType.PAUSE, ActionType.RESTART);

    /**
     * One instance of a service that runs several ({@code ./platform up --replicas}), 1-based; at most
     * {@link Topics#PARTITIONS}, the most instances a service runs. Whether that instance runs is known when the step runs.
     */
    private Integer replica(Node node, ActionType type, String service) {
        int line = line(node);
        String written = scalar(node);
        if (!PER_REPLICA.contains(type)) {
            problems.add(new Problem(line, "replica: is for " + String.join(", ", PER_REPLICA.stream().map(ActionType::id).toList())
                    + "; " + type.id() + " acts on every instance"));
            return null;
        }
        if (service == null || !Services.isService(service) || Services.GATEWAY.equals(service)) {
            problems.add(new Problem(line, "replica: names one instance of a service that may run several (" + String.join(", ",
                    Services.ORDER, Services.PAYMENT, Services.INVENTORY, Services.ORCHESTRATOR, Services.RELAY, "saga-console") + "), not "
                    + (service == null ? "no service" : service)));
            return null;
        }
        int replica;
        try {
            replica = Integer.parseInt(written == null ? "" : written.trim());
        }
        catch (NumberFormatException ex) {
            problems.add(new Problem(line, "replica '" + written + "': a whole number from 1 to " + Topics.PARTITIONS
                    + " (instance 1 is the service's first process)"));
            return null;
        }
        if (replica < 1 || replica > Topics.PARTITIONS) {
            problems.add(new Problem(line, "replica " + replica + " is out of range: 1 to " + Topics.PARTITIONS
                    + " (instances are counted from 1; a service runs at most as many as a topic has partitions)"));
            return null;
        }
        return replica;
    }

    private void within(Map<String, Object> arguments, String key, double min, double max, int line) {
        if (arguments.get(key) instanceof Double value && !(value >= min && value <= max)) {
            problems.add(new Problem(line, key + " " + Tolerance.text(value) + " is out of range: " + Tolerance.text(min) + " to "
                    + Tolerance.text(max)));
        }
    }

    private Activity probe(Node node, String name, String typeName, Node serviceNode, Map<String, Node> rawArguments, Node toleranceNode,
                           boolean steadyState) {
        int line = line(node);
        Optional<ProbeType> resolved = ProbeType.resolve(typeName == null ? "" : typeName);
        if (resolved.isEmpty()) {
            problems.add(new Problem(line, "unknown probe type '" + typeName + "': one of " + String.join(", ", ProbeType.ids())));
            return null;
        }
        ProbeType type = resolved.get();
        String service = null;
        if (serviceNode != null) {
            service = Services.resolve(scalar(serviceNode)).orElse(null);
            if (service == null) {
                problems.add(new Problem(line(serviceNode), "unknown service '" + scalar(serviceNode) + "': one of " + String.join(", ", Services.ALL)));
            }
        }
        List<Argument> accepted = new ArrayList<>(type.arguments());
        accepted.addAll(ProbeType.NUMBER_TOLERANCE);
        Map<String, Object> arguments = arguments(type.id(), accepted, rawArguments, line);
        Tolerance tolerance = toleranceNode != null ? tolerance(toleranceNode, arguments) : null;
        switch (type) {
            case HTTP -> {
                String url = (String) arguments.get("url");
                if (url != null) {
                    checkUrl(url, line);
                }
                if (arguments.get("method") instanceof String method
                        && !Set.of("GET", "HEAD", "POST", "PUT", "DELETE").contains(method.toUpperCase(Locale.ROOT))) {
                    problems.add(new Problem(line, "method '" + method + "': GET, HEAD, POST, PUT or DELETE"));
                }
                if (tolerance == null && arguments.containsKey("json_path")) {
                    // The tolerance judges the value at json_path; the status is judged by expected_status (default 200).
                    tolerance = arguments.containsKey("expected") ? new Tolerance.Equals(arguments.get("expected")) : new Tolerance.Regex("(?s).+");
                }
                if (tolerance == null) {
                    Object statuses = arguments.getOrDefault("expected_status", 200.0);
                    tolerance = statuses instanceof List<?> list ? new Tolerance.OneOf(List.copyOf(list)) : new Tolerance.Equals(statuses);
                }
            }
            case SQL -> {
                if (service == null || !Services.isService(service) || Services.RELAY.equals(service)) {
                    problems.add(new Problem(line, "an sql probe needs 'service:' naming the database's service: one of "
                            + String.join(", ", Services.ORDER, Services.PAYMENT, Services.INVENTORY, Services.ORCHESTRATOR, Services.GATEWAY)));
                }
                Object query = arguments.get("query");
                if (query instanceof String sql && !sql.trim().toLowerCase(Locale.ROOT).matches("(select|with)\\b[\\s\\S]*")) {
                    problems.add(new Problem(line, "an sql probe reads only: its query starts with select or with"));
                }
            }
            case METRIC -> {
                Object expression = arguments.get("expression");
                if (expression instanceof String text) {
                    try {
                        MetricWatch.parse(text, line);
                    }
                    catch (IllegalArgumentException ex) {
                        problems.add(new Problem(line, ex.getMessage()));
                    }
                }
                tolerance = new Tolerance.Equals(true);
            }
            case ORDERS -> checkOneOf(arguments.get("status"), List.of("PENDING", "APPROVED", "REJECTED"), line, "status");
            case SAGAS -> checkOneOf(arguments.get("state"), List.of("STARTED", "COMPENSATING", "COMPLETED", "COMPENSATED", "STUCK"), line, "state");
        }
        if (tolerance == null) {
            if (arguments.containsKey("min") || arguments.containsKey("max")) {
                tolerance = new Tolerance.Range((Double) arguments.get("min"), (Double) arguments.get("max"));
            }
            else if (arguments.containsKey("expected")) {
                tolerance = new Tolerance.Equals(arguments.get("expected"));
            }
            else if (steadyState) {
                problems.add(new Problem(line, "probe " + (name == null ? type.id() : "'" + name + "'") + " has nothing to judge it by:"
                        + " give expected, min or max (or a tolerance)"));
            }
        }
        return new Activity(name == null ? type.id() : name, null, type, service, null, null, arguments, null, tolerance, false,
                Duration.ZERO, Duration.ZERO, line);
    }

    private void checkOneOf(Object value, List<String> allowed, int line, String key) {
        if (value instanceof String text && !allowed.contains(text.toUpperCase(Locale.ROOT))) {
            problems.add(new Problem(line, key + " '" + text + "': one of " + String.join(", ", allowed)));
        }
    }

    /** A URL naming a service by in-cluster host, localhost, or a platform host the target resolves. */
    private void checkUrl(String url, int line) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                problems.add(new Problem(line, "url '" + url + "' is not an http(s) URL with a host, e.g. http://payment-service/health"));
                return;
            }
            String host = uri.getHost();
            if ((host.equals("localhost") || host.equals("127.0.0.1")) && uri.getPort() < 0) {
                problems.add(new Problem(line, "url '" + url + "': localhost needs a port (or name the service: http://payment-service/health)"));
            }
            if (!host.equals("localhost") && !host.equals("127.0.0.1") && Services.resolve(host).isEmpty()) {
                problems.add(new Problem(line, "url host '" + host + "' is no service of this platform (nor localhost): one of "
                        + String.join(", ", Services.ALL)));
            }
        }
        catch (URISyntaxException ex) {
            problems.add(new Problem(line, "url '" + url + "' is not a URL: " + ex.getReason()));
        }
    }

    /** Chaos Toolkit's tolerances: a value, a list of values, or {type: range|regex|jsonpath, ...}. */
    private Tolerance tolerance(Node node, Map<String, Object> arguments) {
        if (node instanceof ScalarNode scalar) {
            return new Tolerance.Equals(value(scalar));
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> values = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar) {
                    values.add(value(scalar));
                }
                else {
                    problems.add(new Problem(line(item), "a tolerance list holds plain values"));
                }
            }
            return new Tolerance.OneOf(values);
        }
        Map<String, NodeTuple> keys = mapping(node, "tolerance");
        if (keys == null) {
            return null;
        }
        String type = text(keys, "type", "");
        switch (type) {
            case "range" -> {
                Node range = keys.get("range") == null ? null : keys.get("range").getValueNode();
                if (range instanceof SequenceNode bounds && bounds.getValue().size() == 2
                        && bounds.getValue().stream().allMatch(b -> b instanceof ScalarNode)
                        && Tolerance.number(value((ScalarNode) bounds.getValue().get(0))) != null
                        && Tolerance.number(value((ScalarNode) bounds.getValue().get(1))) != null) {
                    return new Tolerance.Range(Tolerance.number(value((ScalarNode) bounds.getValue().get(0))),
                            Tolerance.number(value((ScalarNode) bounds.getValue().get(1))));
                }
                problems.add(new Problem(line(node), "a range tolerance needs range: [low, high] with two numbers"));
                return null;
            }
            case "regex" -> {
                String pattern = text(keys, "pattern", ".*");
                try {
                    java.util.regex.Pattern.compile(pattern);
                }
                catch (java.util.regex.PatternSyntaxException ex) {
                    problems.add(new Problem(line(node), "pattern '" + pattern + "' is not a regular expression: " + ex.getDescription()));
                    return null;
                }
                return new Tolerance.Regex(pattern);
            }
            case "jsonpath" -> {
                String path = text(keys, "path", null);
                if (path == null) {
                    problems.add(new Problem(line(node), "a jsonpath tolerance needs path:"));
                    return null;
                }
                arguments.put("json_path", path);
                Node expect = keys.get("expect") == null ? null : keys.get("expect").getValueNode();
                return expect instanceof ScalarNode scalar ? new Tolerance.Equals(value(scalar)) : new Tolerance.Regex(".+");
            }
            default -> {
                problems.add(new Problem(line(node), "tolerance type '" + type + "': one of range, regex, jsonpath (or a value or a list)"));
                return null;
            }
        }
    }

    /** Reads and type-checks the arguments an action or probe accepts; reports unknown ones. */
    private Map<String, Object> arguments(String owner, List<Argument> accepted, Map<String, Node> raw, int line) {
        Map<String, Object> values = new HashMap<>();
        Map<String, Argument> byName = new LinkedHashMap<>();
        accepted.forEach(argument -> byName.put(argument.name(), argument));
        raw.forEach((key, node) -> {
            String normalized = key.replace('-', '_');
            Argument argument = byName.get(normalized);
            if (argument == null) {
                notes.add("line " + line(node) + ": '" + key + "' is not an argument of " + owner + " and is ignored"
                        + (byName.isEmpty() ? "" : " (it takes " + String.join(", ", byName.keySet()) + ")"));
                return;
            }
            Object value = convert(node, argument);
            if (value != null) {
                values.put(normalized, value);
            }
        });
        for (Argument argument : accepted) {
            if (argument.required() && !values.containsKey(argument.name()) && !raw.containsKey(argument.name())) {
                problems.add(new Problem(line, owner + " needs '" + argument.name() + "': " + argument.help()));
            }
        }
        return values;
    }

    private Object convert(Node node, Argument argument) {
        String where = "'" + argument.name() + "'";
        if (argument.kind() == Kind.STATUSES && node instanceof SequenceNode sequence) {
            List<Object> statuses = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                Object status = convert(item, new Argument(argument.name(), Kind.STATUSES, false, argument.help()));
                if (status != null) {
                    statuses.add(status);
                }
            }
            return statuses;
        }
        if (!(node instanceof ScalarNode scalar)) {
            problems.add(new Problem(line(node), where + " takes " + argument.kind().describe));
            return null;
        }
        String text = scalar.getValue().trim();
        try {
            return switch (argument.kind()) {
                case DURATION -> duration(node, argument.name());
                case NUMBER -> Double.parseDouble(text);
                case STATUSES -> {
                    int status = Integer.parseInt(text);
                    if (status < 100 || status > 599) {
                        throw new NumberFormatException();
                    }
                    yield (double) status;
                }
                case RATIO -> {
                    double ratio = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
                            : Double.parseDouble(text);
                    if (ratio < 0 || ratio > 1) {
                        throw new NumberFormatException();
                    }
                    yield ratio;
                }
                case BOOLEAN -> {
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
                }
                case TEXT -> text;
            };
        }
        catch (NumberFormatException ex) {
            problems.add(new Problem(line(node), where + " is '" + text + "': it takes " + argument.kind().describe));
            return null;
        }
    }

    private Duration duration(Node node, String key) {
        String text = scalar(node);
        try {
            Duration duration = Durations.parse(text);
            if (duration.compareTo(MAX_DURATION) > 0) {
                problems.add(new Problem(line(node), key + " " + text + " is longer than the " + Durations.format(MAX_DURATION)
                        + " any single step may last"));
            }
            return duration;
        }
        catch (IllegalArgumentException ex) {
            problems.add(new Problem(line(node), key + ": " + ex.getMessage()));
            return null;
        }
    }

    /** {@code pauses: {before: 5, after: 10}} (seconds, or a duration). */
    private Duration[] pauses(Node node) {
        Duration[] pauses = {Duration.ZERO, Duration.ZERO};
        Map<String, NodeTuple> keys = mapping(node, "pauses");
        if (keys != null) {
            ignoreOthers(keys, Set.of("before", "after"), "pauses.");
            if (keys.containsKey("before")) {
                pauses[0] = Optional.ofNullable(duration(keys.get("before").getValueNode(), "pauses.before")).orElse(Duration.ZERO);
            }
            if (keys.containsKey("after")) {
                pauses[1] = Optional.ofNullable(duration(keys.get("after").getValueNode(), "pauses.after")).orElse(Duration.ZERO);
            }
        }
        return pauses;
    }

    private Optional<MetricWatch> watch(Node node) {
        if (!(node instanceof ScalarNode scalar)) {
            problems.add(new Problem(line(node), "metrics_to_watch holds expressions such as \"error_rate < 1%\""));
            return Optional.empty();
        }
        try {
            return Optional.of(MetricWatch.parse(scalar.getValue(), line(node)));
        }
        catch (IllegalArgumentException ex) {
            problems.add(new Problem(line(node), ex.getMessage()));
            return Optional.empty();
        }
    }

    private Experiment.LoadProfile load(Node node) {
        if (node == null) {
            return DEFAULT_LOAD;
        }
        if (node instanceof ScalarNode scalar && List.of("none", "off", "false", "0").contains(scalar.getValue().trim().toLowerCase(Locale.ROOT))) {
            return new Experiment.LoadProfile(0, "MIXED");
        }
        Map<String, NodeTuple> keys = mapping(node, "load");
        if (keys == null) {
            return DEFAULT_LOAD;
        }
        ignoreOthers(keys, Set.of("rate", "flow"), "load.");
        double rate = DEFAULT_LOAD.rate();
        if (keys.containsKey("rate")) {
            String text = scalar(keys.get("rate").getValueNode());
            try {
                rate = Double.parseDouble(text);
                if (!(rate >= 0 && rate <= 200)) {
                    throw new NumberFormatException();
                }
            }
            catch (NumberFormatException ex) {
                problems.add(new Problem(line(keys.get("rate").getValueNode()), "load.rate '" + text + "': orders per second, 0 to 200"));
            }
        }
        String flow = text(keys, "flow", "MIXED").toUpperCase(Locale.ROOT);
        if (!List.of("MIXED", "CHOREOGRAPHY", "ORCHESTRATION").contains(flow)) {
            problems.add(new Problem(line(keys.get("flow").getValueNode()), "load.flow '" + flow + "': CHOREOGRAPHY, ORCHESTRATION or MIXED"));
        }
        return new Experiment.LoadProfile(rate, flow);
    }

    private Duration settle(Node node) {
        return node == null ? DEFAULT_SETTLE : Optional.ofNullable(duration(node, "settle")).orElse(DEFAULT_SETTLE);
    }

    private List<String> tags(NodeTuple tuple) {
        return tuple == null ? List.of() : tags(tuple.getValueNode());
    }

    private List<String> tags(Node node) {
        List<String> tags = new ArrayList<>();
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> tags.add(scalar(item)));
        }
        return tags;
    }

    private String paths() {
        List<String> paths = new ArrayList<>();
        Services.PEERS.forEach((service, peers) -> peers.forEach(peer -> paths.add(service + " -> " + peer)));
        return String.join(", ", paths);
    }

    // ---------------------------------------------------------------- YAML nodes

    private Map<String, NodeTuple> mapping(Node node, String what) {
        if (node instanceof MappingNode mapping) {
            return entries(mapping);
        }
        problems.add(new Problem(line(node), what + " must be a mapping (key: value lines)"));
        return null;
    }

    private Map<String, NodeTuple> entries(MappingNode mapping) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode());
            if (entries.put(key, tuple) != null) {
                problems.add(new Problem(line(tuple.getKeyNode()), "'" + key + "' is given twice"));
            }
        }
        return entries;
    }

    private List<Node> sequence(Map<String, NodeTuple> keys, String key) {
        NodeTuple tuple = keys.get(key);
        if (tuple == null) {
            return List.of();
        }
        if (tuple.getValueNode() instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        if (tuple.getValueNode() instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
            return List.of();
        }
        problems.add(new Problem(line(tuple.getValueNode()), key + " must be a list (lines starting with '- ')"));
        return List.of();
    }

    private void ignoreOthers(Map<String, NodeTuple> keys, Set<String> known, String prefix) {
        keys.forEach((key, tuple) -> {
            if (!known.contains(key)) {
                notes.add("line " + line(tuple.getKeyNode()) + ": '" + prefix + key + "' is not used by this runner and is ignored");
            }
        });
    }

    private static Node valueOf(Map<String, NodeTuple> keys, String key) {
        NodeTuple tuple = keys.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private String text(Map<String, NodeTuple> keys, String key, String fallback) {
        NodeTuple tuple = keys.get(key);
        if (tuple == null) {
            return fallback;
        }
        return scalar(tuple.getValueNode());
    }

    private boolean bool(Map<String, NodeTuple> keys, String key) {
        String text = text(keys, key, "false");
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            problems.add(new Problem(line(keys.get(key).getValueNode()), key + " is true or false, not '" + text + "'"));
        }
        return Boolean.parseBoolean(text);
    }

    private String scalar(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problems.add(new Problem(line(node), "expected a plain value here"));
        return "";
    }

    /** A scalar as the YAML means it: a number, a boolean or a string. */
    private static Object value(ScalarNode scalar) {
        if (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT)) {
            try {
                return Double.parseDouble(scalar.getValue().replace("_", ""));
            }
            catch (NumberFormatException ex) {
                return scalar.getValue(); // .inf, 0x1F, 0o17: kept as written, and never equal to a measured number
            }
        }
        if (scalar.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(scalar.getValue().toLowerCase(Locale.ROOT));
        }
        return scalar.getValue();
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
