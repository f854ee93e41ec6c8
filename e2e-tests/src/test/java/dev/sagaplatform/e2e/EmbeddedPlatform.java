package dev.sagaplatform.e2e;

import dev.sagaplatform.testsupport.DatabaseHandle;
import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.JavaProcess;
import dev.sagaplatform.testsupport.KafkaBrokerProcess;
import dev.sagaplatform.testsupport.PostgresServer;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on this machine, once per test JVM: the shared real PostgreSQL from
 * platform-test-support with a database per service, a Kafka broker of its own in a child JVM (so a
 * test can crash and restart it), and every service and the relay as its own JVM started from its
 * runnable jar, exactly as they run in production.
 */
final class EmbeddedPlatform implements ApplicationUnderTest {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatform.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(8);
    /** Longer than a dead-lettering takes (5 retries, ~6 s), short enough for the stranded-order tests. */
    static final Duration CHOREOGRAPHY_DEADLINE = Duration.ofSeconds(20);
    /** Orders with this SKU hit inventory-service's test-only handler bug (inventory.testing.failing-sku). */
    static final String HANDLER_BUG_SKU = "SKU-E2E-HANDLER-BUG";

    private static EmbeddedPlatform instance;

    private final Map<Service, URI> urls = new EnumMap<>(Service.class);
    private final Map<Service, DatabaseHandle> databases = new EnumMap<>(Service.class);
    private final Map<Service, JavaProcess> processes = new EnumMap<>(Service.class);
    /** Each service's process with its usual arguments, which {@link #restart} goes back to after {@link #startWith}. */
    private final Map<Service, JavaProcess> usual = new EnumMap<>(Service.class);
    private final String adminPassword = UUID.randomUUID().toString();
    private final String gatewayApiKey = UUID.randomUUID().toString();
    private final TestInfrastructure infrastructure = TestInfrastructure.get();
    private KafkaBrokerProcess kafka;
    /** Zipkin's server, in memory: every service exports its spans there, the tests read traces back. */
    private JavaProcess zipkin;
    private URI zipkinUrl;

    static synchronized EmbeddedPlatform get() {
        if (instance == null) {
            instance = new EmbeddedPlatform();
            instance.start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "embedded-platform-stop"));
        }
        return instance;
    }

    private void start() {
        long started = System.nanoTime();
        Path kafkaData = Path.of(System.getProperty("e2e.logs.dir", "target/e2e-logs")).resolveSibling("e2e-kafka");
        deleteRecursively(kafkaData); // records of an earlier run would be read as this run's
        kafka = KafkaBrokerProcess.start(kafkaData, 0);
        PostgresServer postgres = infrastructure.postgres();
        for (Service service : List.of(Service.ORDER, Service.PAYMENT, Service.INVENTORY, Service.GATEWAY,
                Service.ORCHESTRATOR, Service.CONSOLE)) {
            databases.put(service, postgres.createDatabase(service.module.replace('-', '_')));
        }
        for (Service service : Service.values()) {
            urls.put(service, URI.create("http://127.0.0.1:" + FreePorts.find()));
        }
        zipkin = startZipkin();
        for (Service service : Service.values()) {
            usual.put(service, launch(service, arguments(service)));
            processes.put(service, usual.get(service));
        }
        for (Service service : Service.values()) {
            awaitReady(service);
        }
        awaitZipkin();
        log.info("embedded platform ready in {} ms: {}", (System.nanoTime() - started) / 1_000_000, urls);
    }

    private List<String> arguments(Service service) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + urls.get(service).getPort(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--platform.admin.user=admin",
                "--platform.admin.password=" + adminPassword,
                "--management.tracing.export.zipkin.endpoint=" + zipkinUrl.resolve("/api/v2/spans")));
        DatabaseHandle database = databases.get(service);
        if (database != null) {
            args.add("--spring.datasource.url=" + database.jdbcUrl());
            args.add("--spring.datasource.username=" + database.username());
            args.add("--spring.datasource.password=" + database.password());
        }
        switch (service) {
            case ORDER -> {
                args.add("--inventory.base-url=" + urls.get(Service.INVENTORY));
                args.add("--payment.base-url=" + urls.get(Service.PAYMENT));
                args.add("--orders.choreography.deadline=" + CHOREOGRAPHY_DEADLINE.toSeconds() + "s");
                args.add("--orders.choreography.check-interval=1s");
            }
            case INVENTORY -> args.add("--inventory.testing.failing-sku=" + HANDLER_BUG_SKU);
            case PAYMENT -> {
                args.add("--payment.gateway.base-url=" + urls.get(Service.GATEWAY));
                args.add("--payment.gateway.api-key=" + gatewayApiKey);
                // A refused refund is retried this often until its cause is fixed (production: 5m).
                args.add("--payment.gateway.returns.refused-retry-interval=2s");
            }
            case GATEWAY -> args.add("--gateway.merchant-api-key=" + gatewayApiKey);
            case ORCHESTRATOR -> args.addAll(List.of(
                    // Short enough that timeout and STUCK scenarios finish in seconds, long enough
                    // for two busy cores to answer a healthy step.
                    "--orchestrator.step-timeout=" + STEP_TIMEOUT.toMillis() + "ms",
                    "--orchestrator.compensation.initial-backoff=500ms",
                    "--orchestrator.compensation.max-backoff=2s",
                    "--orchestrator.compensation.max-attempts=3",
                    "--orchestrator.poller.interval=200ms"));
            case CONSOLE -> {
                for (Service peer : Service.values()) {
                    if (peer != Service.CONSOLE) {
                        args.add("--console.services." + peer.module + "=" + urls.get(peer));
                    }
                }
                // Past a step timeout (8 s here) and a dead-lettering (~6 s), short of the choreography deadline (20 s).
                args.add("--console.stuck-after=15s");
            }
            case RELAY -> {
                int index = 0;
                for (Service source : List.of(Service.ORDER, Service.PAYMENT, Service.INVENTORY, Service.ORCHESTRATOR)) {
                    DatabaseHandle db = databases.get(source);
                    String prefix = "--relay.sources[" + index++ + "].";
                    args.add(prefix + "name=" + source.name().toLowerCase());
                    args.add(prefix + "host=" + infrastructure.postgres().host());
                    args.add(prefix + "port=" + infrastructure.postgres().port());
                    args.add(prefix + "database=" + db.name());
                    args.add(prefix + "username=" + db.username());
                    args.add(prefix + "password=" + db.password());
                }
            }
            default -> {
            }
        }
        return args;
    }

    private JavaProcess launch(Service service, List<String> args) {
        Path jar = Path.of(System.getProperty("e2e.modules.dir", ".."), service.module, "target",
                service.module + "-" + System.getProperty("e2e.version", "0.1.0-SNAPSHOT") + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("runnable jar of " + service.module + " not found at " + jar.toAbsolutePath()
                    + ": build it first (./mvnw -B package -DskipTests, or run the whole ./mvnw -B verify)");
        }
        Path newerSource = newestSource(jar.getParent().getParent().getParent(), service.module);
        if (newerSource != null && modified(newerSource) > modified(jar)) {
            throw new IllegalStateException("runnable jar of " + service.module + " (" + jar.toAbsolutePath() + ") is older than "
                    + newerSource + ": rebuild it (./mvnw -B package -DskipTests) or the tests would run yesterday's code");
        }
        Path logs = Path.of(System.getProperty("e2e.logs.dir", "target/e2e-logs"));
        return JavaProcess.builder(JAR_LAUNCHER)
                .classpath(jar.toAbsolutePath().toString())
                .args(args)
                .xmx("320m")
                .jvmArgs("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")
                .logFile(logs.resolve(service.module + ".log"))
                .start();
    }

    /** The jar the build copied (maven-dependency-plugin), on a free port; nothing waits for it but {@link #awaitZipkin}. */
    private JavaProcess startZipkin() {
        Path jar = Path.of(System.getProperty("e2e.zipkin.jar", "target/zipkin/zipkin-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Zipkin's server not found at " + jar.toAbsolutePath()
                    + ": the e2e-tests build copies it (./mvnw -B -pl e2e-tests generate-test-resources)");
        }
        zipkinUrl = URI.create("http://127.0.0.1:" + FreePorts.find());
        return JavaProcess.builder(JAR_LAUNCHER)
                .classpath(jar.toAbsolutePath().toString())
                .args("--QUERY_PORT=" + zipkinUrl.getPort(), "--STORAGE_TYPE=mem", "--MEM_MAX_SPANS=100000")
                .xmx("256m")
                .jvmArgs("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")
                .logFile(Path.of(System.getProperty("e2e.logs.dir", "target/e2e-logs")).resolve("zipkin.log"))
                .start();
    }

    private void awaitZipkin() {
        awaitAnswer("zipkin", zipkin, zipkinUrl.resolve("/health"));
    }

    /** Modules whose code ends up in every service jar (the same list as platform-cli's Build). */
    private static final List<String> SHARED_MODULES = List.of("platform-contracts", "platform-messaging", "platform-web");

    /** The newest file that goes into the module's jar: its pom, its src/main and those of the shared modules. */
    private static Path newestSource(Path root, String module) {
        List<Path> inputs = new ArrayList<>(List.of(root.resolve("pom.xml"), root.resolve(module).resolve("pom.xml"),
                root.resolve(module).resolve("src/main")));
        for (String shared : SHARED_MODULES) {
            inputs.add(root.resolve(shared).resolve("pom.xml"));
            inputs.add(root.resolve(shared).resolve("src/main"));
        }
        Path newest = null;
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                continue;
            }
            try (var files = Files.walk(input)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (newest == null || modified(file) > modified(newest)) {
                        newest = file;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return newest;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitReady(Service service) {
        awaitAnswer(service.module, processes.get(service), urls.get(service).resolve("/actuator/health/readiness"));
    }

    /** Until {@code url} answers 200; fails at once if the process exits, or after {@link #READY_TIMEOUT}, with its last log lines. */
    private static void awaitAnswer(String name, JavaProcess process, URI url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; last log lines:\n" + process.tailLog(40));
            }
            try {
                if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException(name + " not ready within " + READY_TIMEOUT + "; last log lines:\n" + process.tailLog(40));
    }

    /** Kills a service abruptly (SIGKILL), for crash tests. */
    void kill(Service service) {
        processes.get(service).kill();
    }

    /** Freezes a service (SIGSTOP): it holds its connections but answers nothing, like a hung process. */
    void pause(Service service) {
        signal(service, "STOP");
    }

    /** Lets a paused service run again (SIGCONT). */
    void resume(Service service) {
        signal(service, "CONT");
    }

    private void signal(Service service, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(processes.get(service).pid()))
                    .inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + service.module + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a killed service again with the same arguments and waits until it is ready. */
    void restart(Service service) {
        processes.put(service, usual.get(service));
        processes.get(service).start();
        awaitReady(service);
    }

    /**
     * Starts a stopped service with its usual arguments plus {@code extraArgs} (for example a test-only fault point),
     * without waiting for readiness; {@link #restart(Service)} later goes back to the usual arguments.
     */
    JavaProcess startWith(Service service, List<String> extraArgs) {
        List<String> args = new ArrayList<>(arguments(service));
        args.addAll(extraArgs);
        JavaProcess variant = launch(service, args);
        processes.put(service, variant);
        return variant;
    }

    /** Waits until a service started by {@link #startWith} is ready. */
    void awaitStarted(Service service) {
        awaitReady(service);
    }

    /** Stops a service gracefully (SIGTERM) and waits for it to exit. */
    void stop(Service service) {
        processes.get(service).stop();
    }

    /** Crashes the Kafka broker (SIGKILL): every client loses its connections, nothing is flushed. */
    void killKafka() {
        kafka.kill();
    }

    /** Starts the broker again on the same port and data, and waits until it answers. */
    void restartKafka() {
        kafka.restart();
    }

    /** Stops PostgreSQL (fast shutdown: every session is cut, as in a restart), or says why it cannot. */
    void stopPostgres() {
        pgCtl("stop", "-m", "fast");
    }

    /** Starts PostgreSQL again with the options it last ran with (pg_ctl restart reads postmaster.opts). */
    void startPostgres() {
        pgCtl("restart");
    }

    private Path postgresDataDirectory;

    private void pgCtl(String... command) {
        if (!"embedded".equals(infrastructure.mode())) {
            throw new org.opentest4j.TestAbortedException("stopping PostgreSQL needs the embedded server (PLATFORM_TEST_INFRA="
                    + infrastructure.mode() + ")");
        }
        if (postgresDataDirectory == null) {
            PostgresServer postgres = infrastructure.postgres();
            try (var connection = java.sql.DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(),
                    postgres.adminPassword());
                 var rows = connection.createStatement().executeQuery("show data_directory")) {
                rows.next();
                postgresDataDirectory = Path.of(rows.getString(1));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot ask PostgreSQL for its data directory", e);
            }
        }
        Path postgresBinary;
        try {
            // postmaster.opts: the server's command line, first the postgres binary, whose bin/ holds pg_ctl.
            String options = Files.readString(postgresDataDirectory.resolve("postmaster.opts")).trim();
            postgresBinary = Path.of(options.substring(0, options.indexOf(' ')));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> pgCtl = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            pgCtl.addAll(List.of("unshare", "-U")); // as zonky does: PostgreSQL's tools refuse to run as root
        }
        pgCtl.addAll(List.of(postgresBinary.resolveSibling("pg_ctl").toString(),
                "-D", postgresDataDirectory.toString(), "-w", "-t", "60",
                "-l", postgresDataDirectory.resolve("e2e-restarts.log").toString()));
        pgCtl.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(pgCtl).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("e2e.logs.dir", "target/e2e-logs"))
                            .resolve("pg_ctl.log").toFile()))
                    .start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("pg_ctl " + String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "), see target/e2e-logs/pg_ctl.log");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void stop() {
        processes.values().forEach(process -> {
            try {
                if (process.isAlive()) {
                    process.stop();
                }
            } catch (RuntimeException e) {
                process.kill();
            }
        });
        kafka.close();
        if (zipkin != null && zipkin.isAlive()) {
            zipkin.stop();
        }
    }

    @Override
    public URI url(Service service) {
        return urls.get(service);
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public DataSource database(Service service) {
        return databases.get(service).dataSource();
    }

    @Override
    public URI zipkin() {
        return zipkinUrl;
    }

    @Override
    public String adminUser() {
        return "admin";
    }

    @Override
    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public String gatewayApiKey() {
        return gatewayApiKey;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
