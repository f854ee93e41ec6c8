package dev.sagaplatform.cli;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.localservers.KraftBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process) as its own
 * JVM, from the CLI's own runtime classpath ({@code kafka_2.13} and Logback as its SLF4J binding).
 * Its storage is formatted once and kept across restarts.
 */
final class LocalKafka {

    /** KRaft fsyncs its quorum state; on a busy disk start-up takes many times longer than usual. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final RunFolder runFolder;
    private final ProcessControl processes;
    private final JavaCommand jvm;

    LocalKafka(RunFolder runFolder, ProcessControl processes, JavaCommand jvm) {
        this.runFolder = runFolder;
        this.processes = processes;
        this.jvm = jvm;
    }

    /** @param layout the fault proxy's paths, whose per-service listeners the broker then also opens; null without the proxy */
    long start(int port, int controllerPort, FaultProxyLayout layout) {
        Path dir = runFolder.kafka();
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, KraftBroker.LOGBACK, StandardCharsets.UTF_8);
            Properties properties = serverProperties(dir.resolve("data"), port, controllerPort);
            if (layout != null) {
                layout.addBrokerListeners(properties);
            }
            try (OutputStream out = Files.newOutputStream(config)) {
                properties.store(out, "Written by ./platform up");
            }
            if (!KraftBroker.isFormatted(dir.resolve("data"))) {
                format(config, logback);
            }
            List<String> command = jvm.command("kafka", KraftBroker.MAX_HEAP, jvmOptions(KraftBroker.JVM_OPTIONS, logback),
                    jvm.cliClasspath(), KraftBroker.MAIN_CLASS, List.of(config.toString()));
            return processes.start(Component.KAFKA, command, Map.of(), port, jvm.marker("kafka"));
        }
        catch (IOException ex) {
            throw new CliException("Could not prepare Kafka in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    static Properties serverProperties(Path logDir, int port, int controllerPort) {
        return KraftBroker.serverProperties(logDir, port, controllerPort);
    }

    private static List<String> jvmOptions(List<String> options, Path logback) {
        List<String> all = new ArrayList<>(options);
        all.add("-Dlogback.configurationFile=" + logback);
        return all;
    }

    private void format(Path config, Path logback) {
        Path log = runFolder.logFile(Component.KAFKA);
        List<String> command = jvm.command("kafka-storage-format", KraftBroker.FORMAT_MAX_HEAP,
                jvmOptions(KraftBroker.FORMAT_JVM_OPTIONS, logback), jvm.cliClasspath(), KraftBroker.STORAGE_TOOL,
                KraftBroker.formatArguments(config));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(READY_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StartFailure(Component.KAFKA, "storage format did not finish within " + READY_TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new StartFailure(Component.KAFKA, "storage format failed with exit code " + process.exitValue());
            }
        }
        catch (IOException ex) {
            throw new CliException("Could not format Kafka storage: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    /**
     * Creates the saga's topics and their dead-letter topics that do not exist yet, as the services' Kafka admin
     * would ({@code Topics.PARTITIONS}, {@code Topics.retention}, the broker's replication), and grows those of an
     * existing run folder that have fewer partitions (a broker formatted before {@code Topics.PARTITIONS} was raised):
     * {@code ./platform up --replicas N} is capped at {@code Topics.PARTITIONS}, and an instance finding no partition
     * of its own would idle. Left to automatic creation, each topic would appear with the first message sent to it, and
     * the consumers subscribed to it would only start reading after their next metadata refresh and rebalance: seconds
     * of delay on the demo's first orders.
     */
    static void createTopics(int port) {
        ensureTopics("127.0.0.1:" + port, Topics.withDeadLetters());
    }

    /**
     * {@link #createTopics(int)} for any list of topics. Growing moves keys to other partitions (a key's partition is
     * its hash modulo the count): a saga in flight may then have one message on the old partition and the next on a
     * new one, read by another instance. It happens at every {@code up} (and in each service's KafkaAdmin at its start), so
     * it is a one-time event when a run folder from before a higher {@code Topics.PARTITIONS} is started again: with
     * {@code ./platform down} first, no saga is in flight while the keys move (docs/scaling.md).
     */
    static void ensureTopics(String bootstrapServers, List<String> topics) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(LocalKafka::newTopic).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                }
                catch (ExecutionException ex) {
                    // A service's Kafka admin created one between our listing and our request: it has the same settings.
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
            List<String> present = topics.stream().filter(existing::contains).toList();
            Map<String, NewPartitions> grow = new HashMap<>();
            admin.describeTopics(present).allTopicNames().get().forEach((name, description) -> {
                if (description.partitions().size() < Topics.PARTITIONS) {
                    grow.put(name, NewPartitions.increaseTo(Topics.PARTITIONS));
                }
            });
            Set<Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>>> growing =
                    grow.isEmpty() ? Set.of() : admin.createPartitions(grow).values().entrySet();
            for (var topic : growing) {
                try {
                    topic.getValue().get();
                }
                catch (ExecutionException ex) {
                    // Already at the count: a service's Kafka admin grew it meanwhile, or the description came from a
                    // broker whose metadata had not yet caught up with an earlier grow (seen in LocalKafkaTopicsTest when
                    // it ran twice in a row).
                    if (!(ex.getCause() instanceof InvalidPartitionsException)) {
                        throw ex;
                    }
                }
            }
        }
        catch (ExecutionException ex) {
            throw new StartFailure(Component.KAFKA, "could not create the saga's topics: " + ex.getCause().getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    static NewTopic newTopic(String topic) {
        return new NewTopic(topic, Optional.of(Topics.PARTITIONS), Optional.empty())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Topics.retention(topic).toMillis())));
    }

    /** Waits until the broker answers a metadata request. */
    void awaitReady(long pid, int port) {
        try {
            KraftBroker.awaitReady(port, READY_TIMEOUT, () -> ProcessControl.isAlive(pid));
        }
        catch (KraftBroker.NotReady ex) {
            throw new StartFailure(Component.KAFKA, ex.getMessage());
        }
    }

    static boolean isReady(int port) {
        return KraftBroker.answers(port);
    }
}
