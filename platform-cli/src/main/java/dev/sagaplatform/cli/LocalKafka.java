package dev.sagaplatform.cli;

import dev.sagaplatform.contracts.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process) as its own
 * JVM, from the CLI's own runtime classpath ({@code kafka_2.13} and Logback as its SLF4J binding).
 * Its storage is formatted once and kept across restarts.
 */
final class LocalKafka {

    /** KRaft fsyncs its quorum state; on a busy disk start-up takes many times longer than usual. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
              <logger name="kafka.server.BrokerServer" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

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
            Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
            Properties properties = serverProperties(dir.resolve("data"), port, controllerPort);
            if (layout != null) {
                layout.addBrokerListeners(properties);
            }
            try (OutputStream out = Files.newOutputStream(config)) {
                properties.store(out, "Written by ./platform up");
            }
            if (!Files.isRegularFile(dir.resolve("data").resolve("meta.properties"))) {
                format(config, logback);
            }
            List<String> command = jvm.command("kafka", "512m", List.of("-XX:+UseSerialGC", "-Djava.awt.headless=true",
                    "-Dlogback.configurationFile=" + logback), jvm.cliClasspath(), "kafka.Kafka", List.of(config.toString()));
            return processes.start(Component.KAFKA, command, Map.of(), port, jvm.marker("kafka"));
        }
        catch (IOException ex) {
            throw new CliException("Could not prepare Kafka in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("log.dirs", logDir.toString());
        properties.put("num.partitions", String.valueOf(Topics.PARTITIONS));
        properties.put("auto.create.topics.enable", "true");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // After a crash the restarted broker waits for its old session to expire: 3 s instead of 9.
        properties.put("broker.heartbeat.interval.ms", "500");
        properties.put("broker.session.timeout.ms", "3000");
        // A laptop or a two-core machine: the default thread counts only add contention.
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        return properties;
    }

    private void format(Path config, Path logback) {
        Path log = runFolder.logFile(Component.KAFKA);
        List<String> command = jvm.command("kafka-storage-format", "256m", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dlogback.configurationFile=" + logback), jvm.cliClasspath(), "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"));
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
     * would ({@code Topics.PARTITIONS}, {@code Topics.retention}, the broker's replication). Left to automatic
     * creation, each topic would appear with the first message sent to it, and the consumers subscribed to it would
     * only start reading after their next metadata refresh and rebalance: seconds of delay on the demo's first orders.
     */
    static void createTopics(int port) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = Topics.withDeadLetters().stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(LocalKafka::newTopic).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
        catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) {
                throw new StartFailure(Component.KAFKA, "could not create the saga's topics: " + ex.getCause().getMessage());
            }
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
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // The admin client would log a warning for every refused connection: wait for the listener first.
        while (!Tools.accepts(port)) {
            check(pid, deadline);
            Tools.sleep(200);
        }
        while (!isReady(port)) {
            check(pid, deadline);
            Tools.sleep(300);
        }
    }

    private static void check(long pid, long deadline) {
        if (!ProcessControl.isAlive(pid)) {
            throw new StartFailure(Component.KAFKA, "exited during start-up");
        }
        if (System.nanoTime() > deadline) {
            throw new StartFailure(Component.KAFKA, "did not answer within " + READY_TIMEOUT.toSeconds() + " s");
        }
    }

    static boolean isReady(int port) {
        if (!Tools.accepts(port)) {
            return false;
        }
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(properties)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get().isEmpty();
        }
        catch (ExecutionException | RuntimeException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
