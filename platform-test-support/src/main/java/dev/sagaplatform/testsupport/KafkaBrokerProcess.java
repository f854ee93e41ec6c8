package dev.sagaplatform.testsupport;

import dev.sagaplatform.localservers.KraftBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

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
            if (!KraftBroker.isFormatted(directory.resolve("kafka-logs"))) {
                format(directory, config);
            }
            JavaProcess process = JavaProcess.builder(KraftBroker.MAIN_CLASS)
                    .args(config.toString())
                    .xmx(KraftBroker.MAX_HEAP)
                    .jvmArgs(KraftBroker.JVM_OPTIONS.toArray(String[]::new))
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
        try {
            KraftBroker.awaitReady(port, READY_TIMEOUT, process::isAlive);
        }
        catch (KraftBroker.NotReady ex) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " " + ex.getMessage() + "; last lines of "
                    + process.logFile() + ":\n" + process.tailLog(30), ex);
        }
    }

    private static void format(Path directory, Path config) {
        long begin = System.nanoTime();
        JavaProcess formatter = JavaProcess.builder(KraftBroker.STORAGE_TOOL)
                .args(KraftBroker.formatArguments(config))
                .xmx(KraftBroker.FORMAT_MAX_HEAP)
                .jvmArgs(KraftBroker.FORMAT_JVM_OPTIONS.toArray(String[]::new))
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
        Properties properties = KraftBroker.serverProperties(directory.resolve("kafka-logs"), port, controllerPort);
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
                Files.writeString(file, KraftBroker.LOGBACK, StandardCharsets.UTF_8);
                logbackConfig = file;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return logbackConfig;
    }
}
