package dev.sagaplatform.cli;

import dev.sagaplatform.cli.bench.BenchReport;
import dev.sagaplatform.cli.bench.BenchResult;
import dev.sagaplatform.cli.bench.Benchmark;
import dev.sagaplatform.cli.bench.ProcessCpu;
import dev.sagaplatform.cli.bench.SagaTransactionCeiling;
import dev.sagaplatform.cli.load.LoadException;
import dev.sagaplatform.cli.load.LoadSpec;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./platform bench}: the benchmark suite on the running local platform, with the PostgreSQL-only ceiling in the same run. */
@Command(name = "bench", description = {
        "Measure the running platform against what PostgreSQL alone can do on this machine, in one run:",
        "  the ceiling C (one saga's transaction mix over JDBC, synchronous_commit=on), the highest rate each flow",
        "  sustains (saga p99 <= 500 ms, no TIMED_OUT, no growing backlog), latency at C/6, 3x the sustained rate",
        "  (overload) and the recovery 15 s after it, idle CPU, CPU per saga per process and resident memory.",
        "Prints every rate also as a ratio to C and writes bench.json, bench.md and bench.png (goodput and p99",
        "against offered load). About 20-30 minutes with the defaults; the machine should be otherwise quiet."},
        footer = {"", "Exit code: 0 when the run completed (whether the targets were met is in the report), 1 when it could not run."})
final class Bench implements Callable<Integer> {

    @Mixin
    PlatformCli.Location location = new PlatformCli.Location();

    @Option(names = "--step-duration", paramLabel = "D", defaultValue = "60s", description = "Length of each load step (default ${DEFAULT-VALUE}).")
    String stepDuration;
    @Option(names = "--start-rate", paramLabel = "R", defaultValue = "10", description = "First rate of the search, orders/s (default ${DEFAULT-VALUE}).")
    double startRate;
    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "8", description = "Most search steps per flow (default ${DEFAULT-VALUE}).")
    int maxSteps;
    @Option(names = "--flow", paramLabel = "F", split = ",", defaultValue = "CHOREOGRAPHY,ORCHESTRATION",
            description = "Flows to find the sustained rate of (default ${DEFAULT-VALUE}).")
    List<String> flows;
    @Option(names = "--ceiling-duration", paramLabel = "D", defaultValue = "15s", description = "Length of the ceiling run (default ${DEFAULT-VALUE}).")
    String ceilingDuration;
    @Option(names = "--ceiling-clients", paramLabel = "N", defaultValue = "8", description = "Connections of the ceiling run (default ${DEFAULT-VALUE}).")
    int ceilingClients;
    @Option(names = "--idle", paramLabel = "D", defaultValue = "30s", description = "Idle window for idle CPU (default ${DEFAULT-VALUE}).")
    String idle;
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write bench.json, bench.md and bench.png (default: bench/ in the run folder).")
    Path outFolder;

    @Override
    public Integer call() throws Exception {
        Benchmark.Settings settings = settings();
        if (!ProcessCpu.available()) {
            throw new CliException("./platform bench reads CPU and memory from /proc, which this system does not have (Linux only).");
        }
        Platform platform = location.platform();
        Map<Component, Integer> ports = platform.ports();
        List<Component> down = new ArrayList<>();
        for (Component component : Component.values()) {
            if (platform.running(component).isEmpty() && component != Component.FAULT_PROXY && component != Component.ZIPKIN) {
                down.add(component);
            }
        }
        if (!down.isEmpty()) {
            throw new CliException("./platform bench measures the running platform, but " + down.stream().map(Component::id).toList()
                    + " are not running: ./platform up first.");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        Benchmark benchmark = new Benchmark(settings, Load.target(ports, platform.replicas(), platform.runFolder().adminCredentials(false)),
                new SagaTransactionCeiling("localhost", ports.get(Component.POSTGRES), LocalPostgres.USER, LocalPostgres.PASSWORD),
                () -> pids(platform), http, System.out);
        BenchResult result;
        try {
            result = benchmark.run();
        } catch (LoadException e) {
            throw new CliException(e.getMessage());
        }
        BenchReport report = new BenchReport(result);
        System.out.println();
        report.print(System.out);
        Path folder = outFolder != null ? outFolder : platform.runFolder().root().resolve("bench");
        report.write(folder).forEach(problem -> System.out.println("Note: " + problem));
        System.out.println("Report: " + folder.toAbsolutePath().resolve("bench.md"));
        return 0;
    }

    Benchmark.Settings settings() {
        try {
            Duration step = LoadSpec.parseDuration(stepDuration, "--step-duration");
            Duration ceiling = LoadSpec.parseDuration(ceilingDuration, "--ceiling-duration");
            Duration idleWindow = LoadSpec.parseDuration(idle, "--idle");
            List<String> problems = new ArrayList<>();
            if (step.compareTo(Duration.ofSeconds(10)) < 0 || step.compareTo(Duration.ofMinutes(30)) > 0) {
                problems.add("--step-duration " + stepDuration + ": from 10s to 30m");
            }
            if (!(startRate >= 0.5) || startRate > LoadSpec.MAX_RATE) {
                problems.add("--start-rate " + startRate + ": from 0.5 to " + (int) LoadSpec.MAX_RATE + " orders/s");
            }
            if (maxSteps < 1 || maxSteps > 30) {
                problems.add("--max-steps " + maxSteps + ": from 1 to 30");
            }
            if (ceiling.compareTo(Duration.ofSeconds(1)) < 0 || ceiling.compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add("--ceiling-duration " + ceilingDuration + ": from 1s to 10m");
            }
            if (ceilingClients < 1 || ceilingClients > 64) {
                problems.add("--ceiling-clients " + ceilingClients + ": from 1 to 64");
            }
            if (idleWindow.compareTo(Duration.ofSeconds(1)) < 0 || idleWindow.compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add("--idle " + idle + ": from 1s to 10m");
            }
            List<LoadSpec.FlowMix> parsedFlows = new ArrayList<>();
            for (String flow : flows) {
                LoadSpec.FlowMix mix = LoadSpec.FlowMix.parse(flow);
                if (!parsedFlows.contains(mix)) {
                    parsedFlows.add(mix);
                }
            }
            if (!problems.isEmpty()) {
                throw new CliException(String.join("\n", problems));
            }
            return new Benchmark.Settings(step, startRate, maxSteps, ceiling, ceilingClients, idleWindow, parsedFlows);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static Map<String, Long> pids(Platform platform) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Component component : Component.values()) {
            // Every instance by its own name (order-service-2 with up --replicas): each is a process of its own.
            platform.runningInstances(component).forEach(running -> pids.put(running.instance().id(), running.pid()));
        }
        return pids;
    }
}
