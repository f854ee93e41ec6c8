package dev.sagaplatform.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (broker and controller in one process) in a child JVM, for tests that
 * kill and restart Kafka. The in-JVM embedded broker cannot crash the way a real one does.
 * <p>
 * Storage is formatted on first use of a data directory and kept across {@link #kill()},
 * {@link #stop()} and {@link #restart()}, so records written before a crash are still there after
 * it. The broker logs WARN and above (plus its start-up line) to {@code broker.log} in the data
 * directory through Logback, which must be on the test classpath (spring-boot-starter-test brings
 * it); without an SLF4J binding it runs silently.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** KRaft fsyncs its quorum state; on a CI machine with busy disks start-up can take 10x longer than on a laptop. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static final String QUIET_LOGBACK_CONFIG = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);

    private static Path logbackConfig;

    private final Path dataDir;
    private final int port;
    private final JavaProcess process;

    private KafkaBrokerProcess(Path dataDir, int port, JavaProcess process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** Starts a broker on {@code port} (0: a free one) and waits until it answers. */
    public static KafkaBrokerProcess start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with broker settings added or replaced, for example
     * {@code advertised.listeners} pointing at a fault-injecting proxy in front of the broker.
     */
    public static KafkaBrokerProcess start(Path dataDir, int port, Map<String, String> brokerOverrides) {
        KafkaLogging.quiet();
        Path directory = dataDir.toAbsolutePath();
        int brokerPort = port == 0 ? FreePorts.find() : port;
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("server.properties");
            // KRaft keeps the controller's identity in its data; keep its address stable too when a
            // data directory is reused by a new KafkaBrokerProcess.
            int controllerPort = previousControllerPort(config).filter(FreePorts::isFree).orElseGet(FreePorts::find);
            writeConfig(config, directory, brokerPort, controllerPort, brokerOverrides);
            Path logDir = directory.resolve("kafka-logs");
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(directory, config);
            }
            JavaProcess process = JavaProcess.builder("kafka.Kafka")
                    .args(config.toString())
                    .xmx("512m")
                    .jvmArgs("-XX:+UseSerialGC", "-Djava.awt.headless=true")
                    .systemProperty("logback.configurationFile", logbackConfig().toString())
                    .logFile(directory.resolve("broker.log"))
                    .build();
            KafkaBrokerProcess broker = new KafkaBrokerProcess(directory, brokerPort, process);
            broker.launch();
            return broker;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not prepare a Kafka broker in " + directory, ex);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Graceful shutdown (SIGTERM: controlled shutdown, logs flushed). */
    public void stop() {
        if (process.isAlive()) {
            long begin = System.nanoTime();
            process.stop(READY_TIMEOUT);
            log.info("Kafka broker process {} stopped in {} ms", process.pid(), (System.nanoTime() - begin) / 1_000_000);
        }
    }

    /** SIGKILL: a crash. */
    public void kill() {
        if (process.isAlive()) {
            process.kill();
        }
    }

    /** Starts the broker again on the same port and data directory (stopping it first if running). */
    public void restart() {
        stop();
        launch();
    }

    public String tailLog(int lines) {
        return process.tailLog(lines);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "KafkaBrokerProcess[" + bootstrapServers() + ", " + dataDir + ", " + process + "]";
    }

    private void launch() {
        long begin = System.nanoTime();
        process.start();
        awaitReady();
        log.info("Kafka broker process {} ready at {} in {} ms (data in {})", process.pid(), bootstrapServers(),
                (System.nanoTime() - begin) / 1_000_000, dataDir);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // Wait for the listener before creating an AdminClient: the client would log a WARN for
        // every refused connection while the broker is still starting.
        while (!accepts(port)) {
            checkProgress(deadline, null);
            sleep(100);
        }
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(properties)) {
            Exception last = null;
            while (true) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000)).nodes().get().isEmpty()) {
                        return;
                    }
                }
                catch (ExecutionException ex) {
                    last = ex;
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for " + this, ex);
                }
                checkProgress(deadline, last);
                sleep(200);
            }
        }
    }

    private void checkProgress(long deadline, Exception last) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka broker exited during start-up; last lines of " + process.logFile() + ":\n"
                    + process.tailLog(30), last);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " did not answer within " + READY_TIMEOUT
                    + "; last lines of " + process.logFile() + ":\n" + process.tailLog(30), last);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static void format(Path directory, Path config) {
        long begin = System.nanoTime();
        JavaProcess formatter = JavaProcess.builder("kafka.tools.StorageTool")
                .args("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted")
                .xmx("256m")
                // A one-shot tool: the C1 compiler alone starts it faster.
                .jvmArgs("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .systemProperty("logback.configurationFile", logbackConfig().toString())
                .logFile(directory.resolve("format.log"))
                .start();
        int exitCode = formatter.waitFor(READY_TIMEOUT);
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + directory + " failed with exit code " + exitCode + ":\n"
                    + formatter.tailLog(30));
        }
        log.info("Formatted Kafka storage in {} in {} ms", directory, (System.nanoTime() - begin) / 1_000_000);
    }

    private static void writeConfig(Path config, Path directory, int port, int controllerPort, Map<String, String> overrides)
            throws IOException {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("log.dirs", directory.resolve("kafka-logs").toString());
        properties.put("num.partitions", String.valueOf(EmbeddedServers.DEFAULT_PARTITIONS));
        properties.put("auto.create.topics.enable", "true");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // After a SIGKILL the restarted broker cannot register until the controller has expired the
        // dead incarnation's session: 9 s by default, most of a restart. 3 s keeps restarts quick.
        properties.put("broker.heartbeat.interval.ms", "500");
        properties.put("broker.session.timeout.ms", "3000");
        // Two cores: the defaults (3 network, 8 I/O threads) only add contention.
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        properties.putAll(overrides);
        try (OutputStream out = Files.newOutputStream(config)) {
            properties.store(out, "Written by KafkaBrokerProcess");
        }
    }

    private static Optional<Integer> previousControllerPort(Path config) {
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            properties.load(in);
        }
        catch (IOException ex) {
            return Optional.empty();
        }
        String voters = properties.getProperty("controller.quorum.voters", "");
        try {
            return Optional.of(Integer.parseInt(voters.substring(voters.lastIndexOf(':') + 1).trim()));
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }

    private static synchronized Path logbackConfig() {
        if (logbackConfig == null) {
            try {
                Path file = Files.createTempFile("kafka-broker-logback-", ".xml");
                file.toFile().deleteOnExit();
                Files.writeString(file, QUIET_LOGBACK_CONFIG, StandardCharsets.UTF_8);
                logbackConfig = file;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return logbackConfig;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }
}
