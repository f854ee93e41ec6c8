package dev.sagaplatform.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./platform}: the embedded local platform, orders and the demo. */
@Command(name = "./platform", mixinStandardHelpOptions = true, version = "saga-platform 0.1.0",
        description = "The saga reference platform on this machine, no Docker needed: a real PostgreSQL server, a real Kafka"
                + " broker (KRaft) and every service as its own process.",
        subcommands = {Demo.class, PlatformCli.Up.class, PlatformCli.Down.class, PlatformCli.Status.class,
                PlatformCli.Order.class, Load.class, Bench.class, Chaos.class, Verify.class, DeadLetters.class, Simulate.class, CommandLine.HelpCommand.class},
        footer = {"", "State, logs and pid files live in the run folder (default .platform/ in the repository root)."})
public final class PlatformCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment variables the commands read (PLATFORM_HOME, PLATFORM_ADMIN_USER/PASSWORD): injected, never read directly. */
    private final Map<String, String> environment;

    PlatformCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(execute(System.getenv(), System.out, System.err, args));
    }

    static int execute(Map<String, String> environment, PrintStream out, PrintStream err, String... args) {
        CommandLine commandLine = new CommandLine(new PlatformCli(environment));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof CliException) {
                err.println();
                err.println(ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the repository and the run folder are. */
    static final class Location {

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        @Option(names = "--run-folder", paramLabel = "DIR",
                description = "State, logs and pid files (default: $PLATFORM_HOME, else .platform in the repository root).")
        Path runFolder;

        Path projectRoot() {
            String root = System.getProperty("platform.root");
            return (root != null ? Path.of(root) : Path.of("")).toAbsolutePath().normalize();
        }

        RunFolder folder() {
            Map<String, String> environment = environment();
            if (runFolder != null) {
                return new RunFolder(runFolder, environment);
            }
            String home = environment.get("PLATFORM_HOME");
            return new RunFolder(home != null && !home.isBlank() ? Path.of(home) : projectRoot().resolve(".platform"), environment);
        }

        /** The root command's environment, whichever subcommand this mixin sits in. */
        Map<String, String> environment() {
            for (CommandLine.Model.CommandSpec spec = mixee; spec != null; spec = spec.parent()) {
                if (spec.userObject() instanceof PlatformCli root) {
                    return root.environment;
                }
            }
            throw new IllegalStateException("a command outside ./platform's command tree");
        }

        Platform platform() {
            return new Platform(projectRoot(), folder(), System.out);
        }
    }

    /** The flags that choose ports, shared by up and demo. */
    static final class PortOptions {

        @Option(names = "--order-port", paramLabel = "PORT", description = "order-service (default 8081)")
        Integer order;
        @Option(names = "--payment-port", paramLabel = "PORT", description = "payment-service (default 8082)")
        Integer payment;
        @Option(names = "--inventory-port", paramLabel = "PORT", description = "inventory-service (default 8083)")
        Integer inventory;
        @Option(names = "--orchestrator-port", paramLabel = "PORT", description = "saga-orchestrator (default 8084)")
        Integer orchestrator;
        @Option(names = "--relay-port", paramLabel = "PORT", description = "outbox-relay (default 8085)")
        Integer relay;
        @Option(names = "--gateway-port", paramLabel = "PORT", description = "payment-gateway (default 8086)")
        Integer gateway;
        @Option(names = "--console-port", paramLabel = "PORT", description = "saga-console (default 8087)")
        Integer console;
        @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka broker (default 9092)")
        Integer kafka;
        @Option(names = "--kafka-controller-port", paramLabel = "PORT", description = "Kafka's KRaft controller (default 9093)")
        Integer kafkaController;
        @Option(names = "--postgres-port", paramLabel = "PORT", description = "PostgreSQL (default 15432)")
        Integer postgres;
        @Option(names = "--fault-proxy-port", paramLabel = "PORT", description = "the fault proxy's API (default 8474), with --fault-proxy")
        Integer faultProxy;
        @Option(names = "--zipkin-port", paramLabel = "PORT", description = "Zipkin, the trace store (default 9411)")
        Integer zipkin;
        @Option(names = "--postgres-bin", paramLabel = "DIR",
                description = "Use a local PostgreSQL installation's bin folder instead of the binaries from Maven Central.")
        Path postgresBin;
        @Option(names = "--replicas", paramLabel = "N|SERVICE=N,...", description = {"Processes per service: N for every service"
                + " (e.g. 2), per service (order-service=3,payment-service=2), or both (2,order-service=3). Every service but the"
                + " payment-gateway may run several; N is 1 to the partitions per topic. Instance k of a service listens on its"
                + " port + 100 x (k - 1) (order-service: 8081, 8181, ...) and logs to <service>-k.log. Kept for later ups until"
                + " changed; a lower count stops the surplus instances."})
        String replicas;

        Platform.UpOptions toOptions() {
            Map<Component, Integer> overrides = new EnumMap<>(Component.class);
            put(overrides, Component.ORDER, order);
            put(overrides, Component.PAYMENT, payment);
            put(overrides, Component.INVENTORY, inventory);
            put(overrides, Component.SAGA_ORCHESTRATOR, orchestrator);
            put(overrides, Component.OUTBOX_RELAY, relay);
            put(overrides, Component.PAYMENT_GATEWAY, gateway);
            put(overrides, Component.SAGA_CONSOLE, console);
            put(overrides, Component.KAFKA, kafka);
            put(overrides, Component.POSTGRES, postgres);
            put(overrides, Component.FAULT_PROXY, faultProxy);
            put(overrides, Component.ZIPKIN, zipkin);
            if (kafkaController != null) {
                validPort("--kafka-controller-port", kafkaController);
            }
            return new Platform.UpOptions(overrides, kafkaController, postgresBin == null ? null : postgresBin.toAbsolutePath(), null,
                    replicas == null ? null : Replicas.parse(replicas));
        }

        private static void put(Map<Component, Integer> overrides, Component component, Integer port) {
            if (port != null) {
                validPort(component.portFlag(), port);
                overrides.put(component, port);
            }
        }

        private static void validPort(String flag, int port) {
            if (port < 1 || port > 65535) {
                throw new CliException(flag + " " + port + ": a port is a number from 1 to 65535.");
            }
        }
    }

    @Command(name = "up", description = "Start PostgreSQL, Kafka and every service, each only if it is not already running,"
            + " in dependency order, and wait until all are ready.")
    static final class Up implements Callable<Integer> {

        @Mixin
        Location location = new Location();
        @Mixin
        PortOptions ports = new PortOptions();
        @Option(names = "--clean", description = "Stop everything and delete all state (databases, topics, logs) first.")
        boolean clean;
        @Option(names = "--fault-proxy", negatable = true, description = {"Route every service's connections (to Kafka, PostgreSQL"
                + " and other services) through the local fault proxy, for chaos experiments' network faults; its"
                + " Toxiproxy-compatible API listens on --fault-proxy-port (default 8474). Kept for later ups until"
                + " --no-fault-proxy; switching needs ./platform down first."})
        Boolean faultProxy;

        @Override
        public Integer call() throws Exception {
            requireProjectRoot(location.projectRoot());
            Platform platform = location.platform();
            Platform.UpOptions base = ports.toOptions();
            Platform.UpOptions options = new Platform.UpOptions(base.portOverrides(), base.kafkaControllerPort(), base.postgresBin(), faultProxy,
                    base.replicas());
            try (AutoCloseable lock = platform.runFolder().lock()) {
                if (clean) {
                    Down.stopAndClean(platform);
                }
                Build build = new Build(location.projectRoot());
                build.build(build.needingBuild(false), System.out);
                Platform.UpResult result = start(platform, options);
                printSummary(platform, result, System.out);
                return result.failed().isEmpty() ? 0 : 1;
            }
        }

        static Platform.UpResult start(Platform platform, Platform.UpOptions options) {
            System.out.println("Starting the platform (run folder " + platform.runFolder().root() + "):");
            Platform.UpResult result = platform.up(options);
            System.out.println(result.started().isEmpty() ? "Everything was already running."
                    : "Started " + result.started().size() + " process(es); platform ready in " + Tools.seconds(result.nanos()) + ".");
            return result;
        }

        static void printSummary(Platform platform, Platform.UpResult result, PrintStream out) {
            out.println();
            out.println("URLs:");
            for (Component component : result.components()) {
                for (Instance instance : result.replicas().instances(component)) {
                    printUrl(instance, instance.port(result.ports()), out);
                }
            }
            Path root = platform.runFolder().root();
            out.println("Logs: " + root.resolve("logs") + "  ·  admin user: " + result.credentials().user()
                    + (result.credentials().storedIn() != null ? " (password in " + result.credentials().storedIn() + ")"
                    : " (password from " + RunFolder.ADMIN_PASSWORD_ENV + ")"));
            out.println("Next: ./platform order --customer alice --item SKU-APPLE=2 · ./platform status · ./platform down");
        }

        private static void printUrl(Instance instance, int port, PrintStream out) {
            Component component = instance.component();
            String url = switch (component) {
                case POSTGRES -> "jdbc:postgresql://localhost:" + port + "/<service database>  (superuser postgres / postgres;"
                        + " each service's own role: database.properties)";
                case KAFKA -> "localhost:" + port + "  (Kafka bootstrap servers)";
                case FAULT_PROXY -> "http://localhost:" + port + "  (fault proxy: Toxiproxy's API, admin credentials)";
                case ZIPKIN -> "http://localhost:" + port + "  (Zipkin: every order's trace across the services)";
                case SAGA_CONSOLE -> "http://localhost:" + port + "/  (saga console: timelines, stuck sagas, dead letters, breakers)";
                default -> "http://localhost:" + port;
            };
            out.printf("  %-20s %s%n", instance.id(), url);
        }
    }

    @Command(name = "down", description = "Stop every process that up started (by pid file), services first.")
    static final class Down implements Callable<Integer> {

        @Mixin
        Location location = new Location();
        @Option(names = "--clean", description = "Also delete all state (databases, topics, logs, settings, credentials).")
        boolean clean;

        @Override
        public Integer call() throws Exception {
            Platform platform = location.platform();
            try (AutoCloseable lock = platform.runFolder().lock()) {
                if (clean) {
                    stopAndClean(platform);
                }
                else {
                    List<Instance> stopped = platform.down();
                    System.out.println(stopped.isEmpty() ? "Nothing was running." : "Stopped " + stopped.size() + " process(es);"
                            + " state kept in " + platform.runFolder().root() + " (./platform down --clean deletes it).");
                }
            }
            return 0;
        }

        static void stopAndClean(Platform platform) {
            platform.down();
            platform.runFolder().clean();
            System.out.println("Deleted the platform's state in " + platform.runFolder().root() + ".");
        }
    }

    @Command(name = "status", description = "Every process (each instance of a replicated service: order-service, order-service-2, ...) with its"
            + " pid, port and health (readiness), then per service instance: sagas in flight, stuck, dead letters, breaker states.")
    static final class Status implements Callable<Integer> {

        @Mixin
        Location location = new Location();

        @Override
        public Integer call() {
            Platform platform = location.platform();
            List<Platform.Status> lines = platform.status();
            System.out.printf("%-20s %-8s %-6s %s%n", "PROCESS", "PID", "PORT", "HEALTH");
            boolean allUp = true;
            for (Platform.Status line : lines) {
                System.out.printf("%-20s %-8s %-6s %s%n", line.instance().id(), line.pid() == null ? "-" : line.pid(),
                        line.port(), line.health());
                allUp &= "UP".equals(line.health()) || "not built".equals(line.health()) && line.component().isOptional()
                        || line.component() == Component.FAULT_PROXY && line.pid() == null && !platform.runFolder().faultProxyEnabled();
            }
            // Figures only: a service that is down or slow to answer is a line here, never a failure of status.
            System.out.printf("%n%-20s %s%n", "SERVICE", "SAGAS (from /actuator/prometheus)");
            for (Platform.Status line : lines) {
                if (Platform.hasActuator(line.component())) {
                    System.out.printf("%-20s %s%n", line.instance().id(), platform.metrics(line));
                }
            }
            System.out.println("Logs: " + platform.runFolder().logs());
            return allUp ? 0 : 3;
        }
    }

    @Command(name = "order", description = {"Place one order and wait for its outcome.", "With several order-service"
            + " instances, successive orders and reads go to them in turn; an instance that refuses the connection is skipped."})
    static final class Order implements Callable<Integer> {

        @Mixin
        Location location = new Location();
        @Option(names = "--customer", required = true, paramLabel = "ID", description = "e.g. alice, bob, carol, dave")
        String customer;
        @Option(names = "--item", required = true, paramLabel = "SKU=QTY",
                description = "One order line, repeatable, e.g. --item SKU-APPLE=2 --item SKU-PEN=1")
        List<String> items;
        @Option(names = "--flow", paramLabel = "FLOW", description = "CHOREOGRAPHY or ORCHESTRATION (default: the order-service's)")
        String flow;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait for the outcome (default 60).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            if (flow != null && !List.of("CHOREOGRAPHY", "ORCHESTRATION").contains(flow.toUpperCase(java.util.Locale.ROOT))) {
                throw new CliException("--flow " + flow + ": CHOREOGRAPHY or ORCHESTRATION");
            }
            Platform platform = location.platform();
            ShopClient shop = ShopClient.local(platform.ports(), platform.replicas());
            ShopClient.OrderRequest request = new ShopClient.OrderRequest(customer, ShopClient.items(items),
                    flow == null ? null : flow.toUpperCase(java.util.Locale.ROOT));
            long begin = System.nanoTime();
            String orderId = shop.place(request);
            System.out.println("Placed order " + orderId + " (" + request.describe() + " for " + customer + "); waiting for its outcome...");
            var order = shop.awaitOutcome(orderId, java.time.Duration.ofSeconds(timeoutSeconds));
            String status = order.path("status").asText();
            System.out.println(Demo.describeOutcome(order) + " after " + Tools.seconds(System.nanoTime() - begin)
                    + " (flow " + order.path("flow").asText() + ", total " + order.path("total").asText() + ")");
            return "PENDING".equals(status) ? 2 : 0;
        }
    }

    /** The repository root must look like this project: the CLI resolves module folders from it. */
    static void requireProjectRoot(Path root) {
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("order-service"))) {
            throw new CliException("Run ./platform from the repository root (" + root + " is not it).");
        }
    }
}
