package dev.sagaplatform.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded platform: PostgreSQL, Kafka and every service as its own process, started in
 * dependency order, each only if it is not already running, and stopped exactly by pid file.
 */
final class Platform {

    static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(240);
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final Path projectRoot;
    private final RunFolder runFolder;
    private final ProcessControl processes;
    private final JavaCommand jvm;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Platform(Path projectRoot, RunFolder runFolder, PrintStream out) {
        this.projectRoot = projectRoot;
        this.runFolder = runFolder;
        this.processes = new ProcessControl(runFolder);
        this.jvm = new JavaCommand(runFolder);
        this.out = out;
    }

    RunFolder runFolder() {
        return runFolder;
    }

    /**
     * What {@code up} needs besides the ports.
     *
     * @param faultProxy route every service's connections through the fault proxy; null keeps what the run folder says
     * @param replicas   the replica counts {@code --replicas} names; null (or a service it does not name) keeps what the run folder says
     */
    record UpOptions(Map<Component, Integer> portOverrides, Integer kafkaControllerPort, Path postgresBin, Boolean faultProxy,
                     Replicas replicas) {

        UpOptions(Map<Component, Integer> portOverrides, Integer kafkaControllerPort, Path postgresBin) {
            this(portOverrides, kafkaControllerPort, postgresBin, null, null);
        }

        UpOptions(Map<Component, Integer> portOverrides, Integer kafkaControllerPort, Path postgresBin, Boolean faultProxy) {
            this(portOverrides, kafkaControllerPort, postgresBin, faultProxy, null);
        }
    }

    /** The same platform, printing its progress somewhere else. */
    Platform withOutput(PrintStream output) {
        return new Platform(projectRoot, runFolder, output);
    }

    /**
     * The outcome of {@code up}: the ports in use, which components it started, which run, and which
     * optional ones failed to start (a required one failing ends {@code up} with an exception).
     */
    record UpResult(Map<Component, Integer> ports, List<Instance> started, List<Component> components,
                    List<Component> failed, RunFolder.AdminCredentials credentials, long nanos, Replicas replicas) {
    }

    UpResult up(UpOptions options) {
        long begin = System.nanoTime();
        runFolder.create();
        Map<Component, Path> jars = new Build(projectRoot).jars();
        boolean proxied = options.faultProxy() != null ? options.faultProxy() : runFolder.faultProxyEnabled();
        if (proxied != runFolder.faultProxyEnabled()) {
            List<Component> runningNow = java.util.Arrays.stream(Component.values()).filter(c -> !processes.findAll(c).isEmpty()).toList();
            if (!runningNow.isEmpty()) {
                throw new CliException("The fault proxy is " + (proxied ? "added to" : "removed from") + " every path at start, and "
                        + runningNow.stream().map(Component::id).toList() + " run " + (proxied ? "without" : "with") + " it: ./platform down"
                        + " first, then ./platform up " + (proxied ? "--fault-proxy" : "--no-fault-proxy") + ".");
            }
            runFolder.storeFaultProxy(proxied);
        }
        List<Component> components = new ArrayList<>();
        for (Component component : Component.values()) {
            if (component == Component.FAULT_PROXY) {
                if (proxied) {
                    components.add(component);
                }
            }
            else if (component == Component.ZIPKIN) {
                if (Files.isRegularFile(zipkinJar())) {
                    components.add(component);
                }
                else {
                    out.println("zipkin: no " + projectRoot.relativize(zipkinJar()) + " (./mvnw -B -pl platform-cli package fetches it),"
                            + " so the services export no traces.");
                }
            }
            else if (!component.isService() || jars.containsKey(component)) {
                components.add(component);
            }
            else if (component.isOptional()) {
                out.println(component.id() + ": no runnable jar yet (" + component.id() + "/target/*-exec.jar), so the platform runs"
                        + " without it" + (component == Component.SAGA_ORCHESTRATOR ? "; orders in the ORCHESTRATION flow stay PENDING."
                        : "."));
            }
            else {
                throw new CliException("No runnable jar for " + component.id() + " (" + component.id() + "/target/" + component.id()
                        + "-*-exec.jar). Build it: ./platform demo builds what is missing, or ./mvnw -B package -DskipTests");
            }
        }

        // Checked in full before anything changes: a refused up (a port taken, beyond 65535) stops and stores nothing.
        Replicas replicas = wantedReplicas(options.replicas());
        List<Instance> instances = new ArrayList<>();
        for (Component component : components) {
            instances.addAll(replicas.instances(component));
        }
        Map<Instance, ProcessControl.Running> running = new HashMap<>();
        for (Instance instance : instances) {
            processes.find(instance).ifPresent(found -> running.put(instance, found));
        }
        Map<Component, Integer> ports = runFolder.ports(options.portOverrides());
        int controllerPort = runFolder.kafkaControllerPort(options.kafkaControllerPort());
        running.forEach((instance, found) -> {
            if (instance.ordinal() != 1) {
                return;
            }
            Component component = instance.component();
            Integer wanted = options.portOverrides().get(component);
            if (wanted != null && wanted != found.port()) {
                out.println(component.id() + " is already running on port " + found.port() + "; " + component.portFlag() + " " + wanted
                        + " takes effect after ./platform down.");
            }
            ports.put(component, found.port());
        });
        checkPorts(instances, running, ports, controllerPort);
        if (options.replicas() != null) {
            stopSurplusAndStore(replicas);
        }
        runFolder.storePorts(options.portOverrides(), options.kafkaControllerPort());
        java.util.Set<Integer> claimed = new java.util.HashSet<>(List.of(controllerPort));
        instances.forEach(instance -> claimed.add(instance.port(ports)));
        FaultProxyLayout layout = proxied ? FaultProxyLayout.of(runFolder, replicas, claimed) : null;

        RunFolder.AdminCredentials credentials = runFolder.adminCredentials(true);
        if (credentials.generated()) {
            out.println("Generated admin credentials for the admin and operator endpoints: " + credentials.user() + " / "
                    + credentials.password() + " (kept in " + projectRoot.relativize(credentials.storedIn()) + ")");
        }

        boolean orchestrator = components.contains(Component.SAGA_ORCHESTRATOR);
        LocalPostgres postgres = new LocalPostgres(runFolder, processes, options.postgresBin());
        LocalKafka kafka = new LocalKafka(runFolder, processes, jvm);
        List<Component> withDatabase = components.stream().filter(component -> component.database() != null).toList();
        Map<String, String> databasePasswords = runFolder.databasePasswords(DatabaseRoles.all());
        List<Instance> started = java.util.Collections.synchronizedList(new ArrayList<>());

        // A component is ready once every one of its instances is: what depends on it waits for all of them.
        Map<Component, CompletableFuture<Void>> ready = new EnumMap<>(Component.class);
        Map<Instance, CompletableFuture<Void>> instanceReady = new java.util.LinkedHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(instances.size());
        try {
            for (Component component : components) {
                // An optional component that fails to start must not take the rest down with it: what depends
                // on it waits for it to be ready or to have failed.
                CompletableFuture<?>[] dependencies = component.dependencies().stream().filter(ready::containsKey)
                        .map(dependency -> dependency.isOptional() ? ready.get(dependency).exceptionally(ex -> null) : ready.get(dependency))
                        .toArray(CompletableFuture[]::new);
                CompletableFuture<Void> dependenciesReady = CompletableFuture.allOf(dependencies);
                // The instances of one component start side by side.
                List<CompletableFuture<Void>> each = new ArrayList<>();
                for (Instance instance : replicas.instances(component)) {
                    CompletableFuture<Void> future = dependenciesReady.thenRunAsync(() -> startAndAwait(instance, running.get(instance),
                            ports, controllerPort, layout, postgres, kafka, withDatabase, databasePasswords, jars, orchestrator,
                            credentials, components.contains(Component.ZIPKIN), replicas, started), executor);
                    instanceReady.put(instance, future);
                    each.add(future);
                }
                ready.put(component, CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)));
            }
            List<StartFailure> failures = new ArrayList<>();
            for (Instance instance : instances) {
                try {
                    instanceReady.get(instance).join();
                }
                catch (CompletionException ex) {
                    Throwable cause = ex.getCause();
                    if (cause instanceof StartFailure failure && failure.instance().equals(instance)) {
                        failures.add(failure);
                    }
                    else if (cause instanceof StartFailure || cause instanceof CompletionException) {
                        print("  %-20s not started: a component it needs failed", instance.id());
                    }
                    else if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    else {
                        throw ex;
                    }
                }
            }
            if (!failures.isEmpty()) {
                StringBuilder message = new StringBuilder();
                for (StartFailure failure : failures) {
                    Path log = runFolder.logFile(failure.instance());
                    message.append(failure.getMessage()).append(". Last lines of ").append(log).append(":\n")
                            .append(indent(ProcessControl.tail(log, LOG_LINES_ON_FAILURE))).append("\n\n");
                }
                message.append("What is running keeps running: ./platform status shows it, ./platform down stops it,"
                        + " ./platform up starts what is missing.");
                if (failures.stream().anyMatch(failure -> !failure.component().isOptional())) {
                    throw new CliException(message.toString());
                }
                out.println();
                out.println(message);
                out.println();
            }
            List<Component> failed = failures.stream().map(StartFailure::component).distinct().toList();
            return new UpResult(ports, List.copyOf(started), components.stream().filter(c -> !failed.contains(c)).toList(),
                    failed, credentials, System.nanoTime() - begin, replicas);
        }
        finally {
            executor.shutdownNow();
        }
    }

    /**
     * The replica counts of this {@code up}: the run folder's, changed by {@code --replicas}; nothing is changed yet. A
     * different count of inventory-service or payment-service while order-service or the fault proxy runs is refused:
     * order-service is given the list of their instances at start, and the fault proxy a path to each, so they would keep
     * calling the old set.
     */
    private Replicas wantedReplicas(Replicas changes) {
        Replicas stored = runFolder.replicas();
        if (changes == null) {
            return stored;
        }
        Replicas wanted = stored.with(changes);
        for (Component peer : List.of(Component.INVENTORY, Component.PAYMENT)) {
            if (wanted.count(peer) != stored.count(peer)) {
                List<String> holding = new ArrayList<>();
                processes.findAll(Component.ORDER).forEach(found -> holding.add(found.instance().id()));
                processes.find(Component.FAULT_PROXY).ifPresent(found -> holding.add(Component.FAULT_PROXY.id()));
                if (!holding.isEmpty()) {
                    throw new CliException("--replicas changes " + peer.id() + " from " + stored.count(peer) + " to " + wanted.count(peer)
                            + ", and " + holding + " run with the addresses of its " + stored.count(peer) + " instance(s), given at"
                            + " start: ./platform down first, then ./platform up --replicas ...");
                }
            }
        }
        return wanted;
    }

    /** A lower count stops the instances above it now (SIGTERM, as {@code down} does); the counts are kept for later ups. */
    private void stopSurplusAndStore(Replicas wanted) {
        for (Component component : Replicas.replicableComponents()) {
            for (ProcessControl.Running surplus : processes.findAll(component)) {
                if (surplus.instance().ordinal() > wanted.count(component)) {
                    long begin = System.nanoTime();
                    ProcessControl.stop(surplus.pid(), "TERM", Duration.ofSeconds(60));
                    processes.removePidFile(surplus.instance());
                    print("  %-20s stopped (pid %d) in %s: --replicas %s=%d", surplus.instance().id(), surplus.pid(),
                            Tools.seconds(System.nanoTime() - begin), component.id(), wanted.count(component));
                }
            }
        }
        runFolder.storeReplicas(wanted);
    }

    /** Starts one instance unless it already runs, and waits until it is ready. */
    private void startAndAwait(Instance instance, ProcessControl.Running already, Map<Component, Integer> ports, int controllerPort,
                               FaultProxyLayout layout, LocalPostgres postgres, LocalKafka kafka, List<Component> withDatabase,
                               Map<String, String> databasePasswords, Map<Component, Path> jars, boolean orchestrator,
                               RunFolder.AdminCredentials credentials, boolean zipkin, Replicas replicas, List<Instance> started) {
        Component component = instance.component();
        long componentBegin = System.nanoTime();
        int port = instance.port(ports);
        long pid;
        if (already != null) {
            pid = already.pid();
        }
        else {
            pid = switch (component) {
                case POSTGRES -> postgres.start(port);
                case KAFKA -> kafka.start(port, controllerPort, layout);
                case FAULT_PROXY -> startFaultProxy(port, layout, ports, credentials);
                case ZIPKIN -> startZipkin(port);
                default -> startService(instance, jars.get(component), ports, replicas, orchestrator, credentials, layout,
                        databasePasswords, zipkin);
            };
            started.add(instance);
            print("  %-20s starting (pid %d, port %d)", instance.id(), pid, port);
        }
        switch (component) {
            case POSTGRES -> postgres.awaitReadyAndPrepare(pid, port, withDatabase, databasePasswords);
            case KAFKA -> {
                kafka.awaitReady(pid, port);
                LocalKafka.createTopics(port);
            }
            case FAULT_PROXY -> awaitFaultProxy(pid, port);
            case ZIPKIN -> awaitZipkin(pid, port);
            default -> awaitServiceReady(instance, pid, port);
        }
        print("  %-20s %s", instance.id(), already != null ? "already running (pid " + pid + ")"
                : "ready in " + Tools.seconds(System.nanoTime() - componentBegin));
    }

    private void checkPorts(List<Instance> instances, Map<Instance, ProcessControl.Running> running,
                            Map<Component, Integer> ports, int controllerPort) {
        List<String> problems = new ArrayList<>();
        Map<Integer, String> claimed = new LinkedHashMap<>();
        boolean kafka = false;
        boolean kafkaRunning = false;
        for (Instance instance : instances) {
            Component component = instance.component();
            int port = instance.port(ports);
            if (component == Component.KAFKA) {
                kafka = true;
                kafkaRunning = running.containsKey(instance);
            }
            if (port > 65535) {
                problems.add(instance.id() + " would listen on port " + port + " (" + component.portFlag() + " " + ports.get(component)
                        + " + " + Instance.PORT_STEP + " per further instance), beyond 65535: choose a lower " + component.portFlag() + ".");
                continue;
            }
            String previous = claimed.put(port, instance.id());
            if (previous != null) {
                problems.add("Port " + port + " is given to both " + previous + " and " + instance.id() + ": change one with "
                        + component.portFlag() + (instance.ordinal() > 1 ? " (instance k listens on that port + "
                        + Instance.PORT_STEP + " x (k - 1))" : "") + ".");
            }
            if (!running.containsKey(instance) && !Tools.isPortFree(port)) {
                problems.add("Port " + port + " (" + instance.id() + ") is already in use by another program. Stop that program,"
                        + " or start on another port: ./platform up " + component.portFlag() + " <port>");
            }
        }
        if (!kafkaRunning && kafka) {
            if (claimed.containsKey(controllerPort)) {
                problems.add("Port " + controllerPort + " is given to both the Kafka controller and " + claimed.get(controllerPort)
                        + ": change one (--kafka-controller-port).");
            }
            else if (!Tools.isPortFree(controllerPort)) {
                problems.add("Port " + controllerPort + " (the Kafka controller) is already in use by another program. Stop that"
                        + " program, or start on another port: ./platform up --kafka-controller-port <port>");
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(String.join("\n", problems));
        }
    }

    /** The fault proxy: {@code dev.sagaplatform.cli.faultproxy.FaultProxyMain} from the CLI's own classpath, its paths from the layout. */
    private long startFaultProxy(int port, FaultProxyLayout layout, Map<Component, Integer> ports, RunFolder.AdminCredentials credentials) {
        Path config = runFolder.root().resolve("fault-proxy.json");
        try {
            java.nio.file.Files.writeString(config, layout.toxiproxyConfig(ports));
        }
        catch (IOException ex) {
            throw new CliException("Could not write " + config + ": " + ex.getMessage(), ex);
        }
        List<String> command = jvm.command(Component.FAULT_PROXY.id(), "96m", List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss256k"), jvm.cliClasspathCopied(Component.FAULT_PROXY.id()), "dev.sagaplatform.cli.faultproxy.FaultProxyMain",
                List.of("--port", String.valueOf(port), "--config", config.toString()));
        return processes.start(Component.FAULT_PROXY, command, Map.of(RunFolder.ADMIN_USER_ENV, credentials.user(),
                RunFolder.ADMIN_PASSWORD_ENV, credentials.password()), port, jvm.marker(Component.FAULT_PROXY.id()));
    }

    private static void awaitFaultProxy(long pid, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Tools.accepts(port)) {
            if (!ProcessControl.isAlive(pid)) {
                throw new StartFailure(Component.FAULT_PROXY, "exited during start-up");
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure(Component.FAULT_PROXY, "did not listen on port " + port + " within 60 s");
            }
            Tools.sleep(100);
        }
    }

    /** Where platform-cli's build puts the Zipkin server ({@code io.zipkin:zipkin-server:exec}, maven-dependency-plugin). */
    Path zipkinJar() {
        return projectRoot.resolve("platform-cli").resolve("target").resolve("zipkin").resolve("zipkin-server.jar");
    }

    /** Zipkin's HTTP collector and UI on {@code port}, spans in memory (gone with the process), a small heap. */
    private long startZipkin(int port) {
        List<String> command = jvm.jarCommand(Component.ZIPKIN.id(), "256m", List.of("-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"), zipkinJar(), List.of());
        return processes.start(Component.ZIPKIN, command, zipkinEnvironment(port), port, jvm.marker(Component.ZIPKIN.id()));
    }

    static Map<String, String> zipkinEnvironment(int port) {
        return Map.of("QUERY_PORT", String.valueOf(port), "STORAGE_TYPE", "mem", "MEM_MAX_SPANS", "100000");
    }

    /** Where a service sends its spans when Zipkin runs (Boot's {@code management.tracing.export.zipkin.endpoint}). */
    static String zipkinEndpoint(int zipkinPort) {
        return "http://localhost:" + zipkinPort + "/api/v2/spans";
    }

    private void awaitZipkin(long pid, int port) {
        long deadline = System.nanoTime() + SERVICE_READY_TIMEOUT.toNanos();
        while (true) {
            if (!ProcessControl.isAlive(pid)) {
                throw new StartFailure(Component.ZIPKIN, "exited during start-up");
            }
            if (zipkinHealthy(port)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure(Component.ZIPKIN, "was not ready within " + SERVICE_READY_TIMEOUT.toSeconds() + " s");
            }
            Tools.sleep(300);
        }
    }

    private boolean zipkinHealthy(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Serializes the extraction of one service's jar: its instances start side by side and would extract it twice at once. */
    private static final Map<Component, Object> EXTRACTING = new java.util.concurrent.ConcurrentHashMap<>();

    private long startService(Instance instance, Path jar, Map<Component, Integer> ports, Replicas replicas, boolean orchestrator,
                              RunFolder.AdminCredentials credentials, FaultProxyLayout layout, Map<String, String> databasePasswords,
                              boolean zipkin) {
        Component service = instance.component();
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError"));
        Path runnable = jar;
        Optional<Path> extracted;
        synchronized (EXTRACTING.computeIfAbsent(service, key -> new Object())) {
            extracted = new AppCache(runFolder, out).extracted(service, jar);
        }
        if (extracted.isPresent()) {
            runnable = extracted.get();
            options.addAll(AppCache.classDataSharing(runnable, instance.ordinal() == 1));
        }
        List<String> command = jvm.jarCommand(instance.id(), service == Component.OUTBOX_RELAY ? "384m" : "320m", options, runnable,
                java.util.stream.Stream.concat(serviceArguments(instance, ports, replicas, orchestrator, layout).stream(),
                        runFolder.extraServiceArguments(service).stream()).toList());
        // Through the environment rather than the command line, which every local user can read.
        Map<String, String> environment = new HashMap<>(Map.of(RunFolder.ADMIN_USER_ENV, credentials.user(),
                RunFolder.ADMIN_PASSWORD_ENV, credentials.password()));
        environment.putAll(serviceEnvironment(service, ports, orchestrator, layout, databasePasswords));
        if (service == Component.PAYMENT_GATEWAY || service == Component.PAYMENT) {
            environment.put(RunFolder.GATEWAY_API_KEY_ENV, runFolder.gatewayApiKey());
        }
        if (zipkin) {
            // Straight to Zipkin, never through the fault proxy: a chaos experiment cuts the saga's paths, not its traces.
            environment.put("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT", zipkinEndpoint(ports.get(Component.ZIPKIN)));
        }
        return processes.start(instance, command, environment, instance.port(ports), jvm.marker(instance.id()));
    }

    static List<String> serviceArguments(Component service, Map<Component, Integer> ports, boolean orchestrator) {
        return serviceArguments(service, ports, orchestrator, null);
    }

    static List<String> serviceArguments(Component service, Map<Component, Integer> ports, boolean orchestrator, FaultProxyLayout layout) {
        return serviceArguments(Instance.first(service), ports, Replicas.SINGLE, orchestrator, layout);
    }

    /**
     * Command-line properties of a service instance: its port, its database, Kafka, and the addresses of what it calls
     * — directly, or through the fault proxy's path for each when {@code layout} is given. order-service is given every
     * inventory-service and payment-service instance as one comma-separated list and balances over it. The console is
     * given each service's first instance only: it reads and operates through one address per service, and every
     * instance of a service answers from the same database. Health details for everyone, as befits a developer's tool:
     * chaos probes and curl read components without credentials; compose and Kubernetes keep the services' default,
     * details for the platform admin only.
     */
    static List<String> serviceArguments(Instance instance, Map<Component, Integer> ports, Replicas replicas, boolean orchestrator,
                                         FaultProxyLayout layout) {
        Component service = instance.component();
        // The console observes the platform, so faults are not put between it and the rest: it shows them as they are.
        java.util.function.Function<Component, Integer> port = peer -> layout == null || service == Component.SAGA_CONSOLE
                ? ports.get(peer) : layout.port(service, peer);
        java.util.function.Function<Component, String> everyInstance = peer -> String.join(",", replicas.instances(peer).stream()
                .map(each -> "http://localhost:" + (layout == null ? each.port(ports) : layout.port(service, each))).toList());
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + instance.port(ports));
        args.add("--management.endpoint.health.show-details=always");
        int postgresPort = port.apply(Component.POSTGRES);
        if (service != Component.PAYMENT_GATEWAY) {
            args.add("--spring.kafka.bootstrap-servers=127.0.0.1:" + port.apply(Component.KAFKA));
        }
        if (service.database() != null) {
            args.add("--spring.datasource.url=jdbc:postgresql://localhost:" + postgresPort + "/" + service.database());
            args.add("--spring.datasource.username=" + DatabaseRoles.of(service));
        }
        switch (service) {
            case ORDER -> {
                args.add("--inventory.base-url=" + everyInstance.apply(Component.INVENTORY));
                args.add("--payment.base-url=" + everyInstance.apply(Component.PAYMENT));
            }
            case PAYMENT -> args.add("--payment.gateway.base-url=http://localhost:" + port.apply(Component.PAYMENT_GATEWAY));
            case SAGA_CONSOLE -> {
                for (Component peer : Component.values()) {
                    if (peer.isService() && peer != Component.SAGA_CONSOLE) {
                        args.add("--console.services." + peer.id() + "=http://localhost:" + ports.get(peer));
                    }
                }
            }
            default -> {
            }
        }
        return args;
    }

    /**
     * What a service gets through its environment rather than its command line, which every local user can read
     * ({@code ps}): its database role's password, and the relay's sources (they hold the relay role's password, and
     * Spring binds a list from one property source only, so all of each source goes this way).
     *
     * @param databasePasswords every database role's password ({@link DatabaseRoles#all()}); a service is given its own only
     */
    static Map<String, String> serviceEnvironment(Component service, Map<Component, Integer> ports, boolean orchestrator,
                                                  FaultProxyLayout layout, Map<String, String> databasePasswords) {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        if (service.database() != null) {
            environment.put("SPRING_DATASOURCE_PASSWORD", databasePasswords.get(DatabaseRoles.of(service)));
        }
        if (service == Component.OUTBOX_RELAY) {
            int postgresPort = layout == null ? ports.get(Component.POSTGRES) : layout.port(service, Component.POSTGRES);
            int index = 0;
            for (Component source : Component.values()) {
                if (!source.hasOutbox() || (source == Component.SAGA_ORCHESTRATOR && !orchestrator)) {
                    continue;
                }
                String prefix = "RELAY_SOURCES_" + index++ + "_";
                environment.put(prefix + "NAME", relaySourceName(source));
                environment.put(prefix + "HOST", "localhost");
                environment.put(prefix + "PORT", String.valueOf(postgresPort));
                environment.put(prefix + "DATABASE", source.database());
                environment.put(prefix + "USERNAME", DatabaseRoles.RELAY);
                environment.put(prefix + "PASSWORD", databasePasswords.get(DatabaseRoles.RELAY));
            }
        }
        return environment;
    }

    /** The relay's source names in its own application.yml (they name the replication slots, so keep them). */
    static String relaySourceName(Component source) {
        return switch (source) {
            case ORDER -> "order";
            case PAYMENT -> "payment";
            case INVENTORY -> "inventory";
            case SAGA_ORCHESTRATOR -> "orchestrator";
            default -> throw new IllegalArgumentException(source + " has no outbox");
        };
    }

    void awaitServiceReady(Instance service, long pid, int port) {
        long deadline = System.nanoTime() + SERVICE_READY_TIMEOUT.toNanos();
        while (true) {
            if (!ProcessControl.isAlive(pid)) {
                throw new StartFailure(service, "exited during start-up");
            }
            if ("UP".equals(readiness(port))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure(service, "was not ready within " + SERVICE_READY_TIMEOUT.toSeconds() + " s");
            }
            Tools.sleep(300);
        }
    }

    /** "UP" when {@code /actuator/health/readiness} answers 200, else what it answered. */
    String readiness(int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? "UP" : "DOWN (HTTP " + response.statusCode() + ")";
        }
        catch (IOException ex) {
            return "no answer";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "no answer";
        }
    }

    /**
     * Stops every process this run folder's pid files name: the relay, then the other services side by
     * side (a JVM that writes its class-data archive at exit takes several seconds), then Kafka, then
     * PostgreSQL.
     */
    List<Instance> down() {
        List<List<Component>> waves = List.of(List.of(Component.OUTBOX_RELAY),
                List.of(Component.ORDER, Component.PAYMENT, Component.SAGA_ORCHESTRATOR, Component.INVENTORY, Component.PAYMENT_GATEWAY,
                        Component.SAGA_CONSOLE),
                List.of(Component.KAFKA, Component.FAULT_PROXY, Component.ZIPKIN), List.of(Component.POSTGRES));
        List<Instance> stopped = java.util.Collections.synchronizedList(new ArrayList<>());
        for (List<Component> wave : waves) {
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (Component component : wave) {
                // Every instance with a pid file, also those above a count lowered since they started.
                for (int ordinal = 1, highest = processes.highestOrdinal(component); ordinal <= highest; ordinal++) {
                    Instance instance = new Instance(component, ordinal);
                    Optional<ProcessControl.Running> found = processes.find(instance);
                    if (found.isEmpty()) {
                        processes.removePidFile(instance);
                        continue;
                    }
                    stops.add(CompletableFuture.runAsync(() -> {
                        long pid = found.get().pid();
                        long begin = System.nanoTime();
                        boolean killed = component == Component.POSTGRES ? new LocalPostgres(runFolder, processes, null).stop(pid)
                                : ProcessControl.stop(pid, "TERM", Duration.ofSeconds(60));
                        print("  %-20s stopped (pid %d) in %s%s", instance.id(), pid, Tools.seconds(System.nanoTime() - begin),
                                killed ? ", killed after the grace period" : "");
                        processes.removePidFile(instance);
                        stopped.add(instance);
                    }));
                }
            }
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        }
        return stopped;
    }

    /** One line of {@code status}: one per instance. */
    record Status(Instance instance, Long pid, Integer port, String health) {

        Component component() {
            return instance.component();
        }
    }

    /** Every instance the replica counts name, and any instance above them that still runs. */
    List<Status> status() {
        Map<Component, Path> jars = new Build(projectRoot).jars();
        Map<Component, Integer> configured = ports();
        Replicas replicas = runFolder.replicas();
        List<Status> lines = new ArrayList<>();
        for (Component component : Component.values()) {
            int highest = Math.max(replicas.count(component), processes.highestOrdinal(component));
            for (int ordinal = 1; ordinal <= highest; ordinal++) {
                Instance instance = new Instance(component, ordinal);
                Optional<ProcessControl.Running> found = processes.find(instance);
                if (found.isEmpty()) {
                    if (ordinal > replicas.count(component)) {
                        continue;
                    }
                    String state = component.isService() && !jars.containsKey(component) ? "not built"
                            : component == Component.ZIPKIN && !Files.isRegularFile(zipkinJar()) ? "not fetched (./mvnw -B -pl platform-cli package)"
                            : component == Component.FAULT_PROXY && !runFolder.faultProxyEnabled() ? "off (up --fault-proxy)" : "stopped";
                    lines.add(new Status(instance, null, instance.port(configured), state));
                    continue;
                }
                int port = found.get().port();
                String health = switch (component) {
                    case POSTGRES -> LocalPostgres.isReady(port) ? "UP" : "DOWN (no answer to SELECT 1)";
                    case KAFKA -> LocalKafka.isReady(port) ? "UP" : "DOWN (no metadata answer)";
                    case FAULT_PROXY -> Tools.accepts(port) ? "UP" : "DOWN (API not listening)";
                    case ZIPKIN -> zipkinHealthy(port) ? "UP" : "DOWN (/health)";
                    default -> readiness(port);
                };
                lines.add(new Status(instance, found.get().pid(), port, health));
            }
        }
        return lines;
    }

    /** Whether the component is one of the platform's Spring Boot services, with an actuator to read figures from. */
    static boolean hasActuator(Component component) {
        return component.isService();
    }

    /** The saga figures of a service ({@link MetricsSummary}) for {@code status}; "not running" when it is not. */
    String metrics(Status line) {
        return line.pid() == null ? "not running" : MetricsSummary.describe(http, line.port());
    }

    Optional<ProcessControl.Running> running(Component component) {
        return processes.find(component);
    }

    Optional<ProcessControl.Running> running(Instance instance) {
        return processes.find(instance);
    }

    /** Every running instance of the component. */
    List<ProcessControl.Running> runningInstances(Component component) {
        return processes.findAll(component);
    }

    /** The replica counts the run folder remembers. */
    Replicas replicas() {
        return runFolder.replicas();
    }


    /** Ports of the running platform (or the configured ones for what is not running). */
    Map<Component, Integer> ports() {
        Map<Component, Integer> ports = runFolder.ports(Map.of());
        for (Component component : Component.values()) {
            processes.find(component).ifPresent(found -> ports.put(component, found.port()));
        }
        return ports;
    }

    /** How the invariant check reads this platform: each service's database on the local PostgreSQL, and the broker. */
    dev.sagaplatform.invariants.PlatformAccess access() {
        Map<Component, Integer> ports = ports();
        int postgres = ports.get(Component.POSTGRES);
        return new dev.sagaplatform.invariants.PlatformAccess(service -> java.sql.DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + postgres + "/" + Component.byId(service).database(), LocalPostgres.USER, LocalPostgres.PASSWORD),
                "127.0.0.1:" + ports.get(Component.KAFKA), processes.find(Component.SAGA_ORCHESTRATOR).isPresent());
    }

    private synchronized void print(String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }

    private static String indent(String text) {
        return text.lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElse("    (empty)");
    }
}
