package dev.sagaplatform.benchmark;

import dev.sagaplatform.benchmark.Report.Bulk;
import dev.sagaplatform.benchmark.Report.Paced;
import dev.sagaplatform.testsupport.KafkaBrokerProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.flywaydb.core.Flyway;

/**
 * Compares the outbox relay (ours) with Debezium + EventRouter in Kafka Connect standalone (the peer)
 * on one machine: one PostgreSQL server, one Kafka broker, each system with its own database, slot
 * and topic, the same producer durability, poll interval and heap. Prints commit-to-consumer lag
 * and CPU per event at a steady rate, idle CPU, and bulk drain throughput, as ours/peer ratios
 * against the targets. Run it with {@code relay-benchmark/run.sh}; see docs/benchmarks.md.
 */
public final class RelayBenchmark {

    /** Paced writing after a system resumes, before its measurement window opens. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    /** The whole run is abandoned past this, whatever state it is in. */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(20);
    private static final int PARTITIONS = 3;
    private static final String PG_USER = "postgres";
    private static final String PG_PASSWORD = "postgres";

    private final Options options;
    private final long begin = System.nanoTime();
    private Path work;
    private EmbeddedPostgres postgres;
    private KafkaBrokerProcess broker;
    private final List<RelayUnderTest> systems = new ArrayList<>();

    private RelayBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "benchmark-logback.xml");
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            System.err.println(Options.usage());
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        RelayBenchmark benchmark = new RelayBenchmark(options);
        Thread cleanup = new Thread(benchmark::cleanUp, "benchmark-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Thread watchdog = new Thread(() -> {
            RelayUnderTest.sleep(RUN_LIMIT.toMillis());
            System.err.println("The benchmark ran longer than " + RUN_LIMIT + ": giving up.");
            System.exit(3);
        }, "benchmark-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int exitCode = 0;
        try {
            benchmark.run();
        } catch (Exception e) {
            System.err.println("The benchmark failed: " + e);
            e.printStackTrace();
            exitCode = 1;
        }
        benchmark.cleanUp(); // also a shutdown hook, for Ctrl-C and the watchdog
        System.exit(exitCode);
    }

    private void run() throws Exception {
        work = Files.createTempDirectory("relay-benchmark-");
        if (options.jfrDirectory() != null) {
            Files.createDirectories(options.jfrDirectory());
        }
        String peerClasspath = Files.readString(options.peerClasspathFile()).trim();
        Report report = new Report(options);
        report.header(loadAverage());

        startPostgres();
        progress("PostgreSQL " + postgresVersion() + " on port " + postgres.getPort() + ", databases migrated");
        broker = KafkaBrokerProcess.start(work.resolve("kafka"), 0);
        progress("Kafka broker at " + broker.bootstrapServers());

        var environment = new RelayUnderTest.Environment("localhost", postgres.getPort(), PG_USER, PG_PASSWORD,
                broker.bootstrapServers(), work, options.heap(), options.jfrDirectory(), options.lingerMillis());
        RelayUnderTest ours = options.prototype()
                ? new PrototypeRelay(environment, options.rowsPerSystem())
                : new OurRelay(environment, options.rowsPerSystem(), options.oursClasspathPrefix());
        RelayUnderTest peer = new ConnectPeer(environment, options.rowsPerSystem(), peerClasspath);
        systems.add(ours);
        systems.add(peer);
        for (RelayUnderTest system : systems) {
            createDatabase(system.database());
        }
        createTopics();
        for (RelayUnderTest system : systems) {
            system.start(PARTITIONS);
        }
        for (RelayUnderTest system : systems) {
            Duration ready = system.awaitStreaming(Duration.ofMinutes(3));
            progress(system.label + " streaming (pid " + system.pid() + ", first probe row after "
                    + ready.toMillis() / 1000.0 + " s)");
        }
        ours.pause();
        peer.pause();

        warmUp(ours);
        warmUp(peer);

        for (int round = 1; round <= options.rounds(); round++) {
            List<RelayUnderTest> order = round % 2 == 1 ? List.of(ours, peer) : List.of(peer, ours);
            for (RelayUnderTest system : order) {
                report.add(paced(system, round));
            }
            for (RelayUnderTest system : order) {
                report.add(bulk(system, round));
            }
        }
        report.print(ours, peer, loadAverage(), duplicates());
    }

    private void warmUp(RelayUnderTest system) throws SQLException {
        int first = -1;
        for (int written = 0; written < options.warmupRows(); written += options.bulkTransactionRows()) {
            int start = system.writer().insertTransaction(options.bulkTransactionRows());
            first = first < 0 ? start : first;
        }
        int end = system.ledger.reserved();
        long resumed = System.nanoTime();
        system.resume();
        int missing = system.ledger.awaitReceived(first, end, Duration.ofMinutes(4));
        long drained = System.nanoTime() - resumed;
        system.checkAlive();
        if (missing > 0) {
            throw new IllegalStateException(system.label + ": " + missing + " warm-up rows never arrived");
        }
        OutboxWriter.Range paced = system.writer().paced(options.rate(), options.warmupPaced());
        int pacedMissing = system.ledger.awaitReceived(paced.from(), paced.to(), Duration.ofSeconds(30));
        system.pause();
        progress(String.format("%s warmed up: %,d rows drained at %,.0f events/s (JIT cold), then %d s at %d events/s%s",
                system.label, end - first, (end - first) * 1e9 / drained, options.warmupPaced().toSeconds(), options.rate(),
                pacedMissing > 0 ? " (" + pacedMissing + " missing)" : ""));
    }

    /** Steady single-row transactions at the configured rate, then the idle CPU. */
    private Paced paced(RelayUnderTest system, int round) throws SQLException {
        system.resume();
        OutboxWriter.Range settle = system.writer().paced(options.rate(), SETTLE);
        system.ledger.awaitReceived(settle.from(), settle.to(), Duration.ofSeconds(10));

        Map<String, Long> threadsBefore = ProcessCpu.threads(system.pid());
        long cpuBefore = system.cpuNanos();
        OutboxWriter.Range window = system.writer().paced(options.rate(), options.latencyWindow());
        long cpu = system.cpuNanos() - cpuBefore;
        Map<String, Long> threadsAfter = ProcessCpu.threads(system.pid());
        int missing = system.ledger.awaitReceived(window.from(), window.to(), Duration.ofSeconds(30));
        system.checkAlive();

        RelayUnderTest.sleep(1000);
        Map<String, Long> idleThreadsBefore = ProcessCpu.threads(system.pid());
        long idleBefore = system.cpuNanos();
        long idleStart = System.nanoTime();
        RelayUnderTest.sleep(options.idleWindow().toMillis());
        double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
        double idleMillisPerSecond = (system.cpuNanos() - idleBefore) / 1e6 / idleSeconds;
        Map<String, Long> idleThreads = ProcessCpu.splitByThreadGroup(idleThreadsBefore, ProcessCpu.threads(system.pid()));
        system.pause();

        Paced result = new Paced(system.key, round, window, system.ledger.lagMicros(window.from(), window.to()), cpu,
                missing, ProcessCpu.splitByThreadGroup(threadsBefore, threadsAfter), idleMillisPerSecond, idleThreads,
                idleSeconds);
        progress(String.format("round %d, %-34s paced: %,d rows at %,.0f/s, lag p50 %.1f ms p99 %.1f ms max %.1f ms, "
                        + "CPU %.0f µs/event, idle %.0f ms CPU/s%s",
                round, system.label, window.rows(), window.ratePerSecond(), result.lag().getValueAtPercentile(50) / 1000.0,
                result.lag().getValueAtPercentile(99) / 1000.0, result.lag().getMaxValue() / 1000.0,
                result.cpuMicrosPerEvent(), idleMillisPerSecond, missing > 0 ? ", " + missing + " MISSING" : ""));
        return result;
    }

    /** Rows written while the system is frozen, then drained: events/s from first to last consumed. */
    private Bulk bulk(RelayUnderTest system, int round) throws SQLException {
        int first = -1;
        long writeStart = System.nanoTime();
        for (int written = 0; written < options.bulkRows(); written += options.bulkTransactionRows()) {
            int start = system.writer().insertTransaction(options.bulkTransactionRows());
            first = first < 0 ? start : first;
        }
        long writeNanos = System.nanoTime() - writeStart;
        int end = system.ledger.reserved();

        Map<String, Long> threadsBefore = ProcessCpu.threads(system.pid());
        long cpuBefore = system.cpuNanos();
        long resumed = System.nanoTime();
        system.resume();
        int missing = system.ledger.awaitReceived(first, end, Duration.ofMinutes(3));
        long cpu = system.cpuNanos() - cpuBefore;
        Map<String, Long> threadsAfter = ProcessCpu.threads(system.pid());
        system.pause();
        system.checkAlive();

        long firstArrival = system.ledger.firstArrival(first, end);
        long lastArrival = system.ledger.lastArrival(first, end);
        Bulk result = new Bulk(system.key, round, end - first, missing, lastArrival - firstArrival, lastArrival - resumed,
                cpu, ProcessCpu.splitByThreadGroup(threadsBefore, threadsAfter));
        progress(String.format("round %d, %-34s bulk: %,d rows (written at %,.0f rows/s) drained at %,.0f events/s "
                        + "(%,.0f from resume), CPU %.1f µs/event%s",
                round, system.label, end - first, (end - first) * 1e9 / writeNanos, result.eventsPerSecond(),
                result.eventsPerSecondFromResume(), result.cpuMicrosPerEvent(), missing > 0 ? ", " + missing + " MISSING" : ""));
        return result;
    }

    private void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("postgres"))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                // zonky turns synchronous commit off; CDC would then lag by up to the WAL writer delay.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("max_connections", "100")
                // A frozen (SIGSTOP) relay must not lose its replication connection.
                .setServerConfig("wal_sender_timeout", "0")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()))
                .start();
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("alter role postgres password '" + PG_PASSWORD + "'");
        }
    }

    private void createDatabase(String name) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
        Flyway.configure().dataSource(url, PG_USER, PG_PASSWORD).locations("classpath:db/messaging").load().migrate();
    }

    private String postgresVersion() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("show server_version")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", PG_USER, PG_PASSWORD);
    }

    /** Up front, so that neither system pays for topic creation on its first record. */
    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(systems.stream().map(s -> new NewTopic(s.topic(), PARTITIONS, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private String duplicates() {
        return systems.stream().map(s -> s.key + " " + s.ledger.duplicates()).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private void progress(String message) {
        System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - begin) / 1e9, message);
        System.out.flush();
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private synchronized void cleanUp() {
        for (RelayUnderTest system : systems) {
            try {
                system.close();
            } catch (RuntimeException e) {
                System.err.println("could not stop " + system.label + ": " + e);
            }
        }
        systems.clear();
        if (broker != null) {
            try {
                broker.stop();
            } catch (RuntimeException e) {
                broker.kill();
            }
            broker = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException e) {
                System.err.println("could not stop PostgreSQL: " + e);
            }
            postgres = null;
        }
        if (work != null) {
            // PostgreSQL may still be removing its own files for a moment after close().
            for (int attempt = 1; attempt <= 5 && Files.exists(work); attempt++) {
                try (Stream<Path> paths = Files.walk(work)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException | java.io.UncheckedIOException e) {
                    RelayUnderTest.sleep(200);
                }
            }
            if (Files.exists(work)) {
                System.err.println("could not remove " + work);
            }
            work = null;
        }
    }
}
