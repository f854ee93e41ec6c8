package dev.sagaplatform.cli.chaos.targets;

import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.invariants.PlatformAccess;
import java.net.URI;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chaos on {@code docker compose}: containers killed, paused and restarted with {@code docker compose},
 * network faults through compose's Toxiproxy (API on localhost:8474), Kafka tools run inside the broker's
 * container, the gateway's admin API on its published port. In docker-compose.yml one Toxiproxy proxy per
 * dependency ({@code postgres}, {@code kafka}, {@code payment-gateway}) is shared by every service, so a
 * network fault there reaches every service's path to that dependency; paths between the shop's own
 * services are not proxied in compose and are refused before anything runs.
 */
public final class ComposeTarget implements ChaosTarget {

    /** The host ports docker-compose.yml publishes (the same as the local platform's defaults). */
    static final Map<String, Integer> PORTS = Map.of(Services.ORDER, 8081, Services.PAYMENT, 8082, Services.INVENTORY, 8083,
            Services.ORCHESTRATOR, 8084, Services.RELAY, 8085, Services.GATEWAY, 8086);
    private static final Set<String> PROXIED_PEERS = Set.of(Services.POSTGRES, Services.KAFKA, Services.GATEWAY);

    private final Path composeFile;
    private final String adminUser;
    private final String adminPassword;

    public ComposeTarget(Path composeFile, String adminUser, String adminPassword) {
        this.composeFile = composeFile;
        this.adminUser = adminUser != null ? adminUser : "admin";
        this.adminPassword = adminPassword;
    }

    @Override
    public String name() {
        return "compose";
    }

    @Override
    public dev.sagaplatform.cli.load.LoadTarget loadTarget() {
        return new dev.sagaplatform.cli.load.LoadTarget(URI.create("http://localhost:" + PORTS.get(Services.ORDER)),
                URI.create("http://localhost:" + PORTS.get(Services.PAYMENT)), URI.create("http://localhost:" + PORTS.get(Services.INVENTORY)),
                "localhost:9092", adminUser, adminPassword);
    }

    @Override
    public void preflight(Experiment experiment) {
        if (adminPassword == null || adminPassword.isBlank()) {
            throw new IllegalArgumentException("set PLATFORM_ADMIN_PASSWORD (and PLATFORM_ADMIN_USER unless it is admin) to the values"
                    + " docker compose was started with: the gateway's fault API and the load's fixtures need them");
        }
        List<String> refused = new ArrayList<>();
        for (Activity activity : experiment.method()) {
            if (activity.action() != null && activity.action().isNetworkFault() && !PROXIED_PEERS.contains(activity.peer())) {
                refused.add("line " + activity.line() + ": " + activity.service() + " -> " + activity.peer());
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("compose proxies only the paths to postgres, kafka and payment-gateway: " + refused);
        }
    }

    private Operation.Command compose(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker", "compose", "-f", composeFile.toString()));
        argv.addAll(List.of(args));
        return new Operation.Command(argv);
    }

    @Override
    public Operation kill(String component) {
        return compose("kill", "-s", "SIGKILL", component);
    }

    @Override
    public Operation start(String component) {
        // Compose has no "resume if paused, else start": unpause is harmless to refuse, up -d --wait starts and waits for health.
        Operation.Command unpause = compose("unpause", component);
        Operation.Command up = compose("up", "-d", "--wait", component);
        return new Operation.Local(unpause.describe() + " (if paused); " + up.describe(), () -> {
            try {
                unpause.run();
            }
            catch (IllegalStateException notPaused) {
                // not paused: nothing to resume
            }
            up.run();
        });
    }

    @Override
    public Operation stop(String component) {
        return compose("stop", "-t", "60", component);
    }

    @Override
    public Operation pause(String component) {
        return compose("pause", component);
    }

    @Override
    public Operation resume(String component) {
        return compose("unpause", component);
    }

    private ToxiproxyApi toxiproxy() {
        // compose's Toxiproxy has no authentication; it listens on the host's loopback only as published.
        return new ToxiproxyApi(URI.create("http://localhost:8474"), null, null, (service, peer) -> PROXIED_PEERS.contains(peer) ? peer : null);
    }

    @Override
    public Operation addToxic(String service, String peer, Toxic toxic) {
        return toxiproxy().addToxic(service, peer, toxic);
    }

    @Override
    public Operation removeToxic(String service, String peer, String toxicName) {
        return toxiproxy().removeToxic(service, peer, toxicName);
    }

    @Override
    public Operation enablePath(String service, String peer, boolean enabled) {
        return toxiproxy().enable(service, peer, enabled);
    }

    @Override
    public Operation healNetwork(String service) {
        return toxiproxy().heal(service);
    }

    @Override
    public Operation gatewayFaults(String settingsJson) {
        return new Operation.HttpCall("PUT", URI.create("http://localhost:8086/admin/faults"), settingsJson, adminUser, adminPassword);
    }

    @Override
    public Operation healGateway() {
        return new Operation.HttpCall("DELETE", URI.create("http://localhost:8086/admin/faults"), null, adminUser, adminPassword);
    }

    @Override
    public Operation awaitRelayBacklog(Duration atMost) {
        return RelayBacklog.await(access().orElseThrow(), atMost);
    }

    @Override
    public Operation rewindConsumerGroup(String service, long messagesPerPartition) {
        return compose("exec", "-T", "kafka", "/opt/kafka/bin/kafka-consumer-groups.sh", "--bootstrap-server", "kafka:9091",
                "--group", service, "--reset-offsets", "--all-topics", "--shift-by", String.valueOf(-messagesPerPartition), "--execute");
    }

    @Override
    public Operation publish(String topic, String payload, int count) {
        return new Operation.Command(List.of("docker", "compose", "-f", composeFile.toString(), "exec", "-T", "kafka",
                "/opt/kafka/bin/kafka-console-producer.sh", "--bootstrap-server", "kafka:9091", "--topic", topic),
                (payload.replace("\n", " ") + "\n").repeat(Math.max(1, count)));
    }

    @Override
    public URI resolve(String url) {
        return ConventionalPaths.onThisMachine(url, PORTS::get);
    }

    @Override
    public Map<String, URI> metricsEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        PORTS.forEach((service, port) -> endpoints.put(service, URI.create("http://localhost:" + port + "/actuator/prometheus")));
        return endpoints;
    }

    /** compose publishes PostgreSQL on 15432 and Kafka on 9092, so the verdict reads them as on the local platform. */
    @Override
    public Optional<PlatformAccess> access() {
        return Optional.of(new PlatformAccess(service -> DriverManager.getConnection("jdbc:postgresql://localhost:15432/"
                + service.replace('-', '_'), "postgres", System.getenv().getOrDefault("POSTGRES_PASSWORD", "postgres")),
                "localhost:9092", true));
    }

    @Override
    public List<String> awaitHealthy(Duration atMost) {
        try {
            compose("up", "-d", "--wait", "--wait-timeout", String.valueOf(atMost.toSeconds())).run();
            return List.of();
        }
        catch (Exception ex) {
            return List.of(ex.getMessage());
        }
    }
}
