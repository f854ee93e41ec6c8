package dev.sagaplatform.localservers;

import dev.sagaplatform.contracts.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * The platform's local Kafka broker: one KRaft node (broker and controller in one process) on 127.0.0.1, run in a
 * child JVM as {@value #MAIN_CLASS} from a classpath holding {@code kafka_2.13} and Logback. {@code ./platform up}
 * (platform-cli's {@code LocalKafka}) and the tests' {@code KafkaBrokerProcess} (platform-test-support) both start
 * this broker: its settings, its one-time storage format and its readiness check live here. How the process is run
 * stays with each of them, because it differs on purpose: the CLI's broker outlives the CLI (detached, found again by
 * its pid and command-line marker), a test's broker is a child that dies with the test JVM and that a test kills and
 * restarts.
 */
public final class KraftBroker {

    public static final String MAIN_CLASS = "kafka.Kafka";
    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    public static final String MAX_HEAP = "512m";
    public static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Djava.awt.headless=true");
    public static final String FORMAT_MAX_HEAP = "256m";
    /** A one-shot tool: the C1 compiler alone starts it faster. */
    public static final List<String> FORMAT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** Logback configuration for the broker's JVM: warnings, plus the lines that say it started. */
    public static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
              <logger name="kafka.server.BrokerServer" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private KraftBroker() {
    }

    /** The broker's {@code server.properties}: a client listener on {@code port}, the controller on {@code controllerPort}. */
    public static Properties serverProperties(Path logDir, int port, int controllerPort) {
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
        // The saga's topics are created up front with Topics.PARTITIONS; any other, on first use, gets as many.
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
        // After a crash (SIGKILL) the restarted broker cannot register until the controller has expired the dead
        // incarnation's session: 9 s by default, most of a restart. 3 s keeps restarts quick.
        properties.put("broker.heartbeat.interval.ms", "500");
        properties.put("broker.session.timeout.ms", "3000");
        // A laptop or a two-core machine: the default thread counts (3 network, 8 I/O) only add contention.
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        return properties;
    }

    /** Whether {@code logDir} holds formatted storage; storage is formatted once and kept across restarts. */
    public static boolean isFormatted(Path logDir) {
        return Files.isRegularFile(logDir.resolve("meta.properties"));
    }

    /** Arguments of {@value #STORAGE_TOOL} that format the storage {@code config} names, under a new cluster id. */
    public static List<String> formatArguments(Path config) {
        return List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted");
    }

    /**
     * Waits until the broker on {@code port} answers a metadata request.
     *
     * @param alive whether the broker's process still runs
     * @throws NotReady when the process exits or {@code timeout} passes first
     */
    public static void awaitReady(int port, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The admin client would log a warning for every refused connection: wait for the listener first.
        while (!accepts(port)) {
            check(alive, deadline, timeout);
            sleep(100);
        }
        while (!answers(port)) {
            check(alive, deadline, timeout);
            sleep(200);
        }
    }

    /** Whether a broker on {@code port} answers a metadata request within a few seconds. */
    public static boolean answers(int port) {
        if (!accepts(port)) {
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

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static void check(BooleanSupplier alive, long deadline, Duration timeout) {
        if (!alive.getAsBoolean()) {
            throw new NotReady("exited during start-up");
        }
        if (System.nanoTime() > deadline) {
            throw new NotReady("did not answer within " + timeout.toSeconds() + " s");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new NotReady("interrupted while waiting for it to answer");
        }
    }

    /** The broker did not become ready; the message says why, for the caller to add what it knows (its log, its name). */
    public static final class NotReady extends IllegalStateException {

        NotReady(String message) {
            super(message);
        }
    }
}
