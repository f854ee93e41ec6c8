package dev.sagaplatform.cli.bench;

import dev.sagaplatform.cli.load.LoadFixtures;
import dev.sagaplatform.cli.load.LoadResult;
import dev.sagaplatform.cli.load.LoadRun;
import dev.sagaplatform.cli.load.LoadSpec;
import dev.sagaplatform.cli.load.LoadTarget;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * {@code ./platform bench}: in one run on one machine, the ceiling C, the sustained rate of each flow,
 * latency at C/6, the overload test, idle CPU and CPU per saga per process, each rate also as a ratio
 * to C. Load goes through {@link LoadRun}, so every latency is counted from the intended send time.
 */
public final class Benchmark {

    /** What a run does; see {@code ./platform bench --help}. */
    public record Settings(Duration stepDuration, double startRate, int maxSearchSteps, Duration ceilingDuration,
                           int ceilingClients, Duration idleWindow, List<LoadSpec.FlowMix> flows) {
    }

    private static final int CUSTOMERS = 50;
    private static final int SKUS = 20;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final Duration AFTER_OVERLOAD = Duration.ofSeconds(15);

    private final Settings settings;
    private final LoadTarget target;
    private final SagaTransactionCeiling ceiling;
    private final Supplier<Map<String, Long>> pids;
    private final HttpClient http;
    private final PrintStream out;

    public Benchmark(Settings settings, LoadTarget target, SagaTransactionCeiling ceiling, Supplier<Map<String, Long>> pids,
                     HttpClient http, PrintStream out) {
        this.settings = settings;
        this.target = target;
        this.ceiling = ceiling;
        this.pids = pids;
        this.http = http;
        this.out = out;
    }

    public BenchResult run() throws Exception {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        new LoadFixtures(target, http).prepare(spec(LoadSpec.FlowMix.MIXED, 1, Duration.ofSeconds(1)));

        out.println("== Idle CPU over " + seconds(settings.idleWindow()) + " s");
        Map<String, Double> idle = idleCpu();

        out.println("== Ceiling C: PostgreSQL alone, " + settings.ceilingClients() + " connections, " + seconds(settings.ceilingDuration()) + " s");
        double c = ceiling.measure(settings.ceilingClients(), settings.ceilingDuration());
        out.printf(Locale.ROOT, "C = %.0f sagas/s%n", c);

        List<Step> steps = new ArrayList<>();
        Map<String, Double> sustained = new LinkedHashMap<>();
        for (LoadSpec.FlowMix flow : settings.flows()) {
            RateSearch search = new RateSearch(settings.startRate(), 1.3, settings.maxSearchSteps());
            for (OptionalDouble rate = search.next(); rate.isPresent(); rate = search.next()) {
                Step step = step("search", flow, rate.getAsDouble(), settings.stepDuration());
                steps.add(step);
                search.record(step.offered(), step.held());
            }
            search.sustained().ifPresent(rate -> sustained.put(flow.name(), rate));
        }

        double lowestSustained = sustained.values().stream().mapToDouble(Double::doubleValue).min().orElse(settings.startRate());
        steps.add(step("c/6", LoadSpec.FlowMix.MIXED, round(c / 6), settings.stepDuration()));
        steps.add(step("overload", LoadSpec.FlowMix.MIXED, round(3 * lowestSustained), settings.stepDuration()));
        out.println("== " + seconds(AFTER_OVERLOAD) + " s after the overload");
        Thread.sleep(AFTER_OVERLOAD.toMillis());
        // C/6 if the platform sustains it; otherwise half the sustained rate, so that recovery is judged under load it can carry.
        double recoveryRate = round(Math.min(c / 6, lowestSustained / 2));
        steps.add(step("recovery", LoadSpec.FlowMix.MIXED, recoveryRate, Duration.ofSeconds(20)));

        Map<String, Long> resident = ProcessCpu.residentMiB(pids.get());
        BenchResult partial = new BenchResult(startedAt, machine(), c, sustained, steps, idle, resident, Map.of());
        return new BenchResult(startedAt, machine(), c, sustained, steps, idle, resident, Targets.judge(partial));
    }

    private Step step(String purpose, LoadSpec.FlowMix flow, double rate, Duration duration) throws InterruptedException {
        Thread.sleep(QUIET.toMillis());
        out.printf(Locale.ROOT, "== %s: %s at %s orders/s for %s s%n", purpose, flow, rate, seconds(duration));
        Map<String, Long> before = ProcessCpu.millis(pids.get());
        LoadResult result = new LoadRun(spec(flow, rate, duration), target, http, out, false).run();
        Map<String, Long> cpu = ProcessCpu.difference(before, ProcessCpu.millis(pids.get()));
        Step step = Step.of(purpose, result, cpu);
        out.printf(Locale.ROOT, "   completed %.1f/s, refused %d, TIMED_OUT %d, saga p50 %.0f ms p99 %.0f ms, %s%n",
                step.completedPerSecond(), step.refused(), step.timedOut(), step.sagaP50(), step.sagaP99(),
                step.held() ? "held" : "did not hold" + (step.backlogGrew() ? " (backlog grew)" : ""));
        return step;
    }

    private Map<String, Double> idleCpu() throws InterruptedException {
        Thread.sleep(QUIET.toMillis());
        Map<String, Long> before = ProcessCpu.millis(pids.get());
        long start = System.nanoTime();
        Thread.sleep(settings.idleWindow().toMillis());
        Map<String, Long> used = ProcessCpu.difference(before, ProcessCpu.millis(pids.get()));
        double elapsedMillis = (System.nanoTime() - start) / 1e6;
        Map<String, Double> percent = new LinkedHashMap<>();
        used.forEach((name, millis) -> percent.put(name, Math.round(millis * 1000.0 / elapsedMillis) / 10.0));
        return percent;
    }

    private static LoadSpec spec(LoadSpec.FlowMix flow, double rate, Duration duration) {
        return new LoadSpec(rate, duration, flow, CUSTOMERS, SKUS, 1, SETTLE);
    }

    private static double round(double rate) {
        return Math.max(0.5, Math.round(rate * 10) / 10.0);
    }

    private static long seconds(Duration duration) {
        return duration.toSeconds();
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + (Runtime.getRuntime().maxMemory() / (1 << 20))
                + " MiB max heap of the bench JVM, Java " + Runtime.version() + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", load average at the end " + loadAverage();
    }

    private static String loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }
}
