package dev.sagaplatform.cli;

import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget;
import dev.sagaplatform.cli.chaos.targets.ConventionalPaths;
import dev.sagaplatform.cli.chaos.targets.Operation;
import dev.sagaplatform.cli.chaos.targets.ToxiproxyApi;
import dev.sagaplatform.invariants.PlatformAccess;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Chaos on the local platform: signals to its processes (SIGKILL, SIGSTOP/SIGCONT, SIGTERM), {@code up} to
 * start what is missing, the fault proxy's Toxiproxy API for network faults, the payment-gateway's admin API,
 * and Kafka's admin API for consumer groups.
 */
final class LocalChaosTarget implements ChaosTarget {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Platform platform;
    private final RunFolder.AdminCredentials credentials;
    private final PrintStream out;

    LocalChaosTarget(Platform platform, PrintStream out) {
        this.platform = platform;
        this.credentials = platform.runFolder().adminCredentials(false);
        this.out = out;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public dev.sagaplatform.cli.load.LoadTarget loadTarget() {
        return Load.target(platform.ports(), platform.replicas(), credentials);
    }

    @Override
    public void preflight(Experiment experiment) {
        List<String> down = notReady();
        if (!down.isEmpty()) {
            throw new CliException("The platform is not fully up: " + String.join(", ", down) + ". Start it with ./platform up"
                    + (experiment.needsFaultProxy() ? " --fault-proxy" : "") + " and run the experiment again.");
        }
        if (credentials == null) {
            throw new CliException("No admin credentials in " + platform.runFolder().root() + " and none in the environment:"
                    + " ./platform up creates them.");
        }
        if (experiment.needsFaultProxy() && platform.running(Component.FAULT_PROXY).isEmpty()) {
            throw new CliException("This experiment injects network faults, which go through the fault proxy, and the platform runs"
                    + " without it. Restart it with the proxy: ./platform down && ./platform up --fault-proxy");
        }
    }

    @Override
    public Operation kill(String component) {
        return kill(component, null);
    }

    @Override
    public Operation kill(String component, Integer replica) {
        Component target = Component.byId(component);
        return new Operation.Local("SIGKILL " + which(component, replica), () -> {
            for (ProcessControl.Running running : instances(target, replica)) {
                // One that exited since it was found is already what this step wants; the others must still be killed.
                java.util.Optional<ProcessHandle> handle = ProcessHandle.of(running.pid());
                if (handle.isPresent()) {
                    handle.get().destroyForcibly();
                    handle.get().onExit().get(30, TimeUnit.SECONDS);
                }
            }
        });
    }

    @Override
    public Operation start(String component) {
        Component target = Component.byId(component);
        return new Operation.Local("start " + component + " if it is not running (./platform up, every instance), resume it if paused;"
                + " wait until ready", () -> {
            platform.runningInstances(target).forEach(running -> signal("CONT", running.pid()));
            upQuietly();
        });
    }

    @Override
    public Operation stop(String component) {
        return stop(component, null);
    }

    @Override
    public Operation stop(String component, Integer replica) {
        Component target = Component.byId(component);
        String signal = target == Component.POSTGRES ? "INT" : "TERM";
        return new Operation.Local("SIG" + signal + " " + which(component, replica) + " and wait until it has exited"
                + (target == Component.POSTGRES ? " (PostgreSQL's fast shutdown: every connection cut)" : ""), () -> {
            for (ProcessControl.Running running : instances(target, replica)) {
                ProcessControl.stop(running.pid(), signal, STOP_TIMEOUT);
            }
        });
    }

    @Override
    public Operation pause(String component) {
        return pause(component, null);
    }

    @Override
    public Operation pause(String component, Integer replica) {
        Component target = Component.byId(component);
        return new Operation.Local("SIGSTOP " + which(component, replica), () -> {
            for (ProcessControl.Running running : instances(target, replica)) {
                signal("STOP", running.pid());
            }
        });
    }

    @Override
    public Operation resume(String component) {
        return resume(component, null);
    }

    @Override
    public Operation resume(String component, Integer replica) {
        Component target = Component.byId(component);
        // The undo of pause: an instance that is gone by now has nothing to resume.
        return new Operation.Local("SIGCONT " + which(component, replica), () -> {
            for (ProcessControl.Running running : platform.runningInstances(target)) {
                if (replica == null || running.instance().ordinal() == replica) {
                    signal("CONT", running.pid());
                }
            }
        });
    }

    @Override
    public Operation rollingRestart(String component) {
        Component target = Component.byId(component);
        return new Operation.Local("rolling restart of " + component + ": each instance in turn SIGTERM, started again (./platform up),"
                + " ready before the next", () -> {
            List<ProcessControl.Running> all = instances(target, null);
            for (ProcessControl.Running running : all) {
                ProcessControl.stop(running.pid(), target == Component.POSTGRES ? "INT" : "TERM", STOP_TIMEOUT);
                // up starts exactly the instance just stopped (everything else runs) and returns once it is ready.
                upQuietly();
                // An optional service (orchestrator, console) that fails to start is only reported by up: stop here rather
                // than take the next instance down too and leave none.
                if (!platform.runningInstances(target).stream().anyMatch(r -> r.instance().equals(running.instance()))) {
                    throw new IllegalStateException(running.instance().id() + " did not start again after its restart (see its log);"
                            + " the rolling restart stops here so the other instances keep running");
                }
                out.println("          " + running.instance().id() + " restarted and ready");
            }
        });
    }

    private void upQuietly() {
        Platform quiet = platform.withOutput(indented(out));
        quiet.up(new Platform.UpOptions(Map.of(), null, null, quiet.runFolder().faultProxyEnabled()));
    }

    private static String which(String component, Integer replica) {
        return replica == null ? component + " (every instance)" : "replica " + replica + " of " + component;
    }

    /**
     * The running instances an action acts on: every one, or the replica named. A replica beyond the service's count,
     * or one that does not run, is an error of this step.
     */
    private List<ProcessControl.Running> instances(Component component, Integer replica) {
        List<ProcessControl.Running> running = platform.runningInstances(component);
        if (replica == null) {
            if (running.isEmpty()) {
                throw new IllegalStateException(component.id() + " is not running");
            }
            return running;
        }
        int count = Replicas.replicable(component) ? platform.replicas().count(component) : 1;
        if (replica > count) {
            throw new IllegalStateException(component.id() + " runs " + count + " instance(s) here (./platform up --replicas "
                    + component.id() + "=N); there is no replica " + replica);
        }
        return List.of(running.stream().filter(each -> each.instance().ordinal() == replica).findFirst()
                .orElseThrow(() -> new IllegalStateException(new Instance(component, replica).id() + " is not running")));
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
        if (platform.running(Component.FAULT_PROXY).isEmpty()) {
            return new Operation.Local("no fault proxy runs: nothing to heal", () -> { });
        }
        return toxiproxy().heal(service);
    }

    @Override
    public Operation gatewayFaults(String settingsJson) {
        return new Operation.HttpCall("PUT", service(Component.PAYMENT_GATEWAY).resolve("/admin/faults"), settingsJson,
                credentials.user(), credentials.password());
    }

    @Override
    public Operation healGateway() {
        return new Operation.HttpCall("DELETE", service(Component.PAYMENT_GATEWAY).resolve("/admin/faults"), null,
                credentials.user(), credentials.password());
    }

    @Override
    public Operation awaitRelayBacklog(Duration atMost) {
        return dev.sagaplatform.cli.chaos.targets.RelayBacklog.await(platform.access(), atMost);
    }

    @Override
    public Operation rewindConsumerGroup(String service, long messagesPerPartition) {
        return new Operation.Local("move consumer group " + service + " back " + messagesPerPartition + " message(s) per partition", () -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
                // Kafka refuses to move the offsets of a group with members: wait until the stopped service has left.
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (true) {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(service)).all().get().get(service);
                    if (group.state() == ConsumerGroupState.EMPTY) {
                        break;
                    }
                    if (group.state() == ConsumerGroupState.DEAD) {
                        throw new IllegalStateException("consumer group " + service + " does not exist");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("consumer group " + service + " still has members (" + group.state() + ")");
                    }
                    Thread.sleep(500);
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(service)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
                committed.keySet().forEach(partition -> earliestSpec.put(partition, OffsetSpec.earliest()));
                var earliest = admin.listOffsets(earliestSpec).all().get();
                Map<TopicPartition, OffsetAndMetadata> rewound = new LinkedHashMap<>();
                committed.forEach((partition, offset) -> rewound.put(partition, new OffsetAndMetadata(
                        Math.max(earliest.get(partition).offset(), offset.offset() - messagesPerPartition))));
                admin.alterConsumerGroupOffsets(service, rewound).all().get();
            }
        });
    }

    @Override
    public Operation publish(String topic, String payload, int count) {
        return new Operation.Local("publish " + count + " unreadable message(s) to " + topic, () -> {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
                for (int i = 0; i < count; i++) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, UUID.randomUUID().toString()
                            .getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
                    record.headers().add(dev.sagaplatform.contracts.Headers.EVENT_ID, UUID.randomUUID().toString()
                            .getBytes(StandardCharsets.UTF_8));
                    producer.send(record).get(30, TimeUnit.SECONDS);
                }
            }
        });
    }

    @Override
    public URI resolve(String url) {
        Map<Component, Integer> ports = platform.ports();
        return ConventionalPaths.onThisMachine(url, service -> ports.get(Component.byId(service)));
    }

    @Override
    public Map<String, URI> metricsEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        Map<Component, Integer> ports = platform.ports();
        Replicas replicas = platform.replicas();
        for (Component component : Component.values()) {
            if (component.isService()) {
                // Every instance, by its own name (order-service-2): the sampler adds up a service's instances.
                for (Instance instance : replicas.instances(component)) {
                    endpoints.put(instance.id(), URI.create("http://localhost:" + instance.port(ports) + "/actuator/prometheus"));
                }
            }
        }
        return endpoints;
    }

    @Override
    public Optional<PlatformAccess> access() {
        return Optional.of(platform.access());
    }

    @Override
    public List<String> awaitHealthy(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            List<String> notReady = notReady();
            if (notReady.isEmpty() || System.nanoTime() > deadline) {
                return notReady;
            }
            Tools.sleep(1000);
        }
    }

    /** Every component that runs and is not ready, or should run and does not (the orchestrator and the fault proxy may be absent). */
    private List<String> notReady() {
        List<String> notReady = new ArrayList<>();
        for (Platform.Status status : platform.status()) {
            boolean mayBeAbsent = status.component().isOptional() || status.component() == Component.FAULT_PROXY;
            if (!"UP".equals(status.health()) && !(mayBeAbsent && status.pid() == null)) {
                notReady.add(status.component().id() + " (" + status.health() + ")");
            }
        }
        return notReady;
    }

    private ToxiproxyApi toxiproxy() {
        int port = platform.ports().get(Component.FAULT_PROXY);
        Replicas replicas = platform.replicas();
        // A path to a service with several instances is one proxy per instance (FaultProxyLayout): a fault acts on all.
        return new ToxiproxyApi(URI.create("http://127.0.0.1:" + port), credentials.user(), credentials.password(),
                new ToxiproxyApi.ProxyNames() {
                    @Override
                    public String of(String service, String peer) {
                        return Services.proxyName(service, peer);
                    }

                    @Override
                    public List<String> all(String service, String peer) {
                        return FaultProxyLayout.pathNames(service, peer, replicas);
                    }
                });
    }

    private URI service(Component component) {
        return URI.create("http://localhost:" + platform.ports().get(component));
    }

    private String kafka() {
        return "127.0.0.1:" + platform.ports().get(Component.KAFKA);
    }

    private static void signal(String signal, long pid) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed (exit " + exit + ")");
            }
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException("cannot send SIG" + signal + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static PrintStream indented(PrintStream out) {
        return new PrintStream(new java.io.OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    out.println("          " + line);
                    line.setLength(0);
                }
                else {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}
