package dev.sagaplatform.cli.chaos.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.experiment.ActionType;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.invariants.PlatformAccess;
import java.net.URI;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chaos on the Kubernetes deployment in {@code k8s/}: pods deleted and Deployments scaled with {@code kubectl},
 * network faults and "pause" as Chaos Mesh resources ({@code NetworkChaos}, {@code PodChaos}) applied and
 * deleted with {@code kubectl}, Kafka tools run in the Strimzi broker pod, the gateway's admin API called from
 * inside its pod. Probes, metrics and the invariant check use in-cluster addresses: run it where those resolve
 * (a pod in the cluster, or a machine with cluster DNS).
 */
public final class KubernetesTarget implements ChaosTarget {

    static final String CHAOS_MESH = "chaos-mesh.org/v1alpha1";
    /** Label on every resource this target creates, so that heal-network and the rollbacks find them all. */
    static final String MANAGED = "saga-platform.dev/chaos";
    static final Map<String, Integer> PORTS = ComposeTarget.PORTS;
    private static final String KAFKA_POD = "saga-dual-role-0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final String adminUser;
    private final String adminPassword;

    /** @param adminUser the admin credentials of the deployment, for the background load's fixtures (may be null) */
    public KubernetesTarget(String namespace, String adminUser, String adminPassword) {
        this.namespace = namespace;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    @Override
    public ChaosTarget inNamespace(String other) {
        return new KubernetesTarget(other, adminUser, adminPassword);
    }

    @Override
    public dev.sagaplatform.cli.load.LoadTarget loadTarget() {
        return new dev.sagaplatform.cli.load.LoadTarget(resolve("http://order-service/"), resolve("http://payment-service/"),
                resolve("http://inventory-service/"), "saga-kafka-bootstrap." + namespace + ".svc.cluster.local:9092", adminUser, adminPassword);
    }

    @Override
    public String name() {
        return "k8s";
    }

    @Override
    public void preflight(Experiment experiment) {
        List<String> refused = new ArrayList<>();
        for (Activity activity : experiment.method()) {
            if (activity.action() == ActionType.CONNECTION_RESET) {
                refused.add("line " + activity.line() + ": connection-reset has no Chaos Mesh equivalent (use network-partition)");
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", refused));
        }
    }

    /** The label selector of a component's pods, as k8s/ labels them. */
    static Map<String, String> selector(String component) {
        return Services.KAFKA.equals(component) ? Map.of("strimzi.io/cluster", "saga", "strimzi.io/kind", "Kafka")
                : Map.of("app.kubernetes.io/name", component);
    }

    private static String selectorText(String component) {
        return String.join(",", new java.util.TreeMap<>(selector(component)).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private Operation.Command kubectl(String... args) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "-n", namespace));
        argv.addAll(List.of(args));
        return new Operation.Command(argv);
    }

    private static String workload(String component) {
        return Services.POSTGRES.equals(component) ? "statefulset/postgres" : "deployment/" + component;
    }

    @Override
    public Operation kill(String component) {
        return kubectl("delete", "pod", "-l", selectorText(component), "--grace-period=0", "--force", "--wait=false");
    }

    @Override
    public Operation start(String component) {
        List<Operation> steps = new ArrayList<>();
        steps.add(kubectl("delete", "podchaos", "chaos-pause-" + component, "--ignore-not-found"));
        if (Services.KAFKA.equals(component)) {
            steps.add(kubectl("wait", "kafka/saga", "--for=condition=Ready", "--timeout=300s"));
        }
        else {
            steps.add(scaleBackUp(component));
            steps.add(kubectl("rollout", "status", workload(component), "--timeout=240s"));
        }
        return sequence(steps);
    }

    /**
     * Replica counts {@link #stop} found, by workload: start gives a workload it scaled to zero its count back. A killed pod
     * is recreated by its Deployment, so start then leaves the count alone; scaling to a fixed 1 would shrink a 2-replica
     * Deployment (the relay, the production overlay's services).
     */
    private final java.util.Map<String, String> countsBeforeStop = new java.util.concurrent.ConcurrentHashMap<>();

    private Operation scaleBackUp(String component) {
        String workload = workload(component);
        return new Operation.Local("kubectl -n " + namespace + " scale " + workload + " --replicas=<its count before stop> (if stop scaled it to 0)",
                () -> {
                    String now = kubectl("get", workload, "-o", "jsonpath={.spec.replicas}").output().strip();
                    if ("0".equals(now)) {
                        kubectl("scale", workload, "--replicas=" + countsBeforeStop.getOrDefault(workload, "1")).run();
                    }
                });
    }

    private Operation scaleToZero(String component) {
        String workload = workload(component);
        return new Operation.Local("kubectl -n " + namespace + " scale " + workload + " --replicas=0 (its count kept for start)", () -> {
            String before = kubectl("get", workload, "-o", "jsonpath={.spec.replicas}").output().strip();
            if (!before.isEmpty() && !"0".equals(before)) {
                countsBeforeStop.put(workload, before);
            }
            kubectl("scale", workload, "--replicas=0").run();
        });
    }

    @Override
    public Operation stop(String component) {
        if (Services.KAFKA.equals(component)) {
            return apply(podFailure("chaos-pause-" + component, component)); // Strimzi owns the brokers: make them unavailable instead
        }
        return sequence(List.of(scaleToZero(component),
                kubectl("wait", "--for=delete", "pod", "-l", selectorText(component), "--timeout=120s")));
    }

    /** Kubernetes' own rolling restart: new pods replace the old ones by the Deployment's strategy, then wait for the rollout. */
    @Override
    public Operation rollingRestart(String component) {
        return sequence(List.of(kubectl("rollout", "restart", workload(component)),
                kubectl("rollout", "status", workload(component), "--timeout=240s")));
    }

    /** Chaos Mesh cannot SIGSTOP a container; its pod-failure (the pod kept but unavailable) is the nearest fault. */
    @Override
    public Operation pause(String component) {
        return apply(podFailure("chaos-pause-" + component, component));
    }

    @Override
    public Operation resume(String component) {
        return kubectl("delete", "podchaos", "chaos-pause-" + component, "--ignore-not-found");
    }

    @Override
    public Operation addToxic(String service, String peer, Toxic toxic) {
        ObjectNode resource = networkChaos(name(toxic.name(), service, peer), service, peer);
        ObjectNode spec = (ObjectNode) resource.path("spec");
        switch (toxic.type()) {
            case "latency" -> {
                spec.put("action", "delay");
                spec.putObject("delay").put("latency", toxic.attributes().get("latency") + "ms")
                        .put("jitter", toxic.attributes().getOrDefault("jitter", 0) + "ms");
            }
            case "bandwidth" -> {
                spec.put("action", "bandwidth");
                long kilobitsPerSecond = ((Number) toxic.attributes().get("rate")).longValue() * 8;
                spec.putObject("bandwidth").put("rate", kilobitsPerSecond + "kbps").put("limit", 20971520).put("buffer", 10000);
            }
            case "timeout" -> {
                spec.put("action", "loss");
                spec.putObject("loss").put("loss", "100");
            }
            default -> throw new IllegalArgumentException(toxic.type() + " has no Chaos Mesh NetworkChaos equivalent");
        }
        spec.put("direction", "upstream".equals(toxic.stream()) ? "to" : "from");
        return apply(resource);
    }

    @Override
    public Operation removeToxic(String service, String peer, String toxicName) {
        return kubectl("delete", "networkchaos", name(toxicName, service, peer), "--ignore-not-found");
    }

    @Override
    public Operation enablePath(String service, String peer, boolean enabled) {
        String name = name("chaos-partition", service, peer);
        if (enabled) {
            return kubectl("delete", "networkchaos", name, "--ignore-not-found");
        }
        ObjectNode resource = networkChaos(name, service, peer);
        ((ObjectNode) resource.path("spec")).put("action", "partition").put("direction", "both");
        return apply(resource);
    }

    @Override
    public Operation healNetwork(String service) {
        return kubectl("delete", "networkchaos", "-l", MANAGED + "=true" + (service == null ? "" : ",saga-platform.dev/service=" + service),
                "--ignore-not-found");
    }

    @Override
    public Operation gatewayFaults(String settingsJson) {
        return kubectl("exec", "deploy/payment-gateway", "--", "sh", "-c", "curl -fsS -u \"$PLATFORM_ADMIN_USER:$PLATFORM_ADMIN_PASSWORD\""
                + " -X PUT -H 'Content-Type: application/json' -d '" + settingsJson + "' http://localhost:8086/admin/faults");
    }

    @Override
    public Operation healGateway() {
        return kubectl("exec", "deploy/payment-gateway", "--", "sh", "-c", "curl -fsS -u \"$PLATFORM_ADMIN_USER:$PLATFORM_ADMIN_PASSWORD\""
                + " -X DELETE http://localhost:8086/admin/faults");
    }

    @Override
    public Operation awaitRelayBacklog(Duration atMost) {
        return RelayBacklog.await(access().orElseThrow(), atMost);
    }

    @Override
    public Operation rewindConsumerGroup(String service, long messagesPerPartition) {
        return kubectl("exec", KAFKA_POD, "--", "/opt/kafka/bin/kafka-consumer-groups.sh", "--bootstrap-server", "localhost:9092",
                "--group", service, "--reset-offsets", "--all-topics", "--shift-by", String.valueOf(-messagesPerPartition), "--execute");
    }

    @Override
    public Operation publish(String topic, String payload, int count) {
        return new Operation.Command(List.of("kubectl", "-n", namespace, "exec", "-i", KAFKA_POD, "--",
                "/opt/kafka/bin/kafka-console-producer.sh", "--bootstrap-server", "localhost:9092", "--topic", topic),
                (payload.replace("\n", " ") + "\n").repeat(Math.max(1, count)));
    }

    @Override
    public URI resolve(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        String path = ConventionalPaths.of(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        Optional<String> service = Services.resolve(host);
        if (service.isPresent() && PORTS.containsKey(service.get())) {
            return URI.create("http://" + service.get() + "." + namespace + ".svc.cluster.local:" + PORTS.get(service.get()) + path + query);
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + query);
    }

    @Override
    public Map<String, URI> metricsEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        PORTS.keySet().forEach(service -> endpoints.put(service, resolve("http://" + service + "/metrics")));
        return endpoints;
    }

    @Override
    public Optional<PlatformAccess> access() {
        String password = System.getenv().getOrDefault("POSTGRES_PASSWORD", "postgres");
        return Optional.of(new PlatformAccess(service -> DriverManager.getConnection("jdbc:postgresql://postgres." + namespace
                + ".svc.cluster.local:5432/" + service.replace('-', '_'), "postgres", password),
                "saga-kafka-bootstrap." + namespace + ".svc.cluster.local:9092", true));
    }

    @Override
    public List<String> awaitHealthy(Duration atMost) {
        try {
            kubectl("wait", "--for=condition=Available", "deployment", "--all", "--timeout=" + atMost.toSeconds() + "s").run();
            return List.of();
        }
        catch (Exception ex) {
            return List.of(ex.getMessage());
        }
    }

    /** A NetworkChaos between the pods of {@code service} and those of {@code peer}, action and direction still to set. */
    ObjectNode networkChaos(String name, String service, String peer) {
        ObjectNode resource = resource("NetworkChaos", name, service);
        ObjectNode spec = resource.putObject("spec");
        spec.put("mode", "all");
        selector(spec.putObject("selector"), service);
        ObjectNode target = spec.putObject("target");
        target.put("mode", "all");
        selector(target.putObject("selector"), peer);
        return resource;
    }

    ObjectNode podFailure(String name, String component) {
        ObjectNode resource = resource("PodChaos", name, component);
        ObjectNode spec = resource.putObject("spec");
        spec.put("action", "pod-failure");
        spec.put("mode", "all");
        selector(spec.putObject("selector"), component);
        return resource;
    }

    private ObjectNode resource(String kind, String name, String component) {
        ObjectNode resource = JSON.createObjectNode();
        resource.put("apiVersion", CHAOS_MESH);
        resource.put("kind", kind);
        ObjectNode metadata = resource.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.putObject("labels").put(MANAGED, "true").put("saga-platform.dev/service", component);
        return resource;
    }

    private void selector(ObjectNode selector, String component) {
        selector.putArray("namespaces").add(namespace);
        ObjectNode labels = selector.putObject("labelSelectors");
        selector(component).forEach(labels::put);
    }

    private Operation apply(ObjectNode resource) {
        return new Operation.Command(List.of("kubectl", "apply", "-f", "-"), resource.toPrettyString());
    }

    private static String name(String toxic, String service, String peer) {
        return (toxic + "-" + service + "-to-" + peer).replace('_', '-');
    }

    private static Operation sequence(List<Operation> steps) {
        return new Operation.Local(String.join("; ", steps.stream().map(Operation::describe).toList()), () -> {
            for (Operation step : steps) {
                step.run();
            }
        });
    }
}
