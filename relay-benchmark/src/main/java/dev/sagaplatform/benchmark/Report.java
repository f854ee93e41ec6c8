package dev.sagaplatform.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/** Collects the measurements of both systems and prints them as ours/peer ratios against the targets. */
final class Report {

    /** One paced window of one system. */
    record Paced(String system, int round, OutboxWriter.Range window, Histogram lag, long cpuNanos, int missing,
                 Map<String, Long> threadCpu, double idleMillisPerSecond, Map<String, Long> idleThreadCpu,
                 double idleSeconds) {

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / window.rows();
        }
    }

    /** One bulk drain of one system. */
    record Bulk(String system, int round, int rows, int missing, long firstToLastNanos, long resumeToLastNanos,
                long cpuNanos, Map<String, Long> threadCpu) {

        double eventsPerSecond() {
            return rows * 1e9 / Math.max(1, firstToLastNanos);
        }

        double eventsPerSecondFromResume() {
            return rows * 1e9 / Math.max(1, resumeToLastNanos);
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / rows;
        }
    }

    private static final PrintStream OUT = System.out;

    private final Options options;
    private final List<Paced> paced = new ArrayList<>();
    private final List<Bulk> bulk = new ArrayList<>();

    Report(Options options) {
        this.options = options;
    }

    void add(Paced result) {
        paced.add(result);
    }

    void add(Bulk result) {
        bulk.add(result);
    }

    void header(String loadAverage) {
        String ours = options.prototype() ? "the DirectPgOutputRelay PROTOTYPE in place of outbox-relay"
                : options.oursClasspathPrefix() != null ? "outbox-relay with classes from " + options.oursClasspathPrefix()
                : "outbox-relay";
        OUT.println("Outbox relay benchmark: ours (" + ours + ") vs peer (Debezium 3.5.0 + EventRouter in Kafka Connect 4.1.2 standalone)");
        OUT.printf("machine: %d cores, Java %s, load average at start %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage);
        OUT.printf("plan: warm-up %,d rows in %,d-row transactions + %d s at %,d/s; %d rounds of [%d s at %,d events/s "
                        + "(single-row transactions), %d s idle, %,d rows in %,d-row transactions drained]; -Xmx%s each; "
                        + "producers acks=all, idempotent, linger.ms=%d%n",
                options.warmupRows(), options.bulkTransactionRows(), options.warmupPaced().toSeconds(), options.rate(),
                options.rounds(), options.latencyWindow().toSeconds(), options.rate(), options.idleWindow().toSeconds(),
                options.bulkRows(), options.bulkTransactionRows(), options.heap(), options.lingerMillis());
        OUT.println();
    }

    void print(RelayUnderTest ours, RelayUnderTest peer, String loadAverage, String duplicates) {
        String o = ours.key;
        String p = peer.key;
        OUT.println();
        OUT.println("Per round (ratio = ours/peer):");
        OUT.printf("  %-5s %-44s %12s %12s %8s%n", "round", "metric", "ours", "peer", "ratio");
        for (int round = 1; round <= options.rounds(); round++) {
            int r = round;
            Paced po = find(paced, o, r);
            Paced pp = find(paced, p, r);
            Bulk bo = find(bulk, o, r);
            Bulk bp = find(bulk, p, r);
            roundRow(r, "bulk throughput (events/s)", bo.eventsPerSecond(), bp.eventsPerSecond(), "%,.0f");
            roundRow(r, "bulk CPU per event (µs)", bo.cpuMicrosPerEvent(), bp.cpuMicrosPerEvent(), "%.1f");
            roundRow(r, "lag p50 at rate (ms)", millis(po.lag(), 50), millis(pp.lag(), 50), "%.1f");
            roundRow(r, "lag p99 at rate (ms)", millis(po.lag(), 99), millis(pp.lag(), 99), "%.1f");
            roundRow(r, "lag max at rate (ms)", po.lag().getMaxValue() / 1e3, pp.lag().getMaxValue() / 1e3, "%.1f");
            roundRow(r, "CPU per event at rate (µs)", po.cpuMicrosPerEvent(), pp.cpuMicrosPerEvent(), "%.0f");
            roundRow(r, "idle CPU (ms per s)", po.idleMillisPerSecond(), pp.idleMillisPerSecond(), "%.0f");
            roundRow(r, "achieved rate (events/s)", po.window().ratePerSecond(), pp.window().ratePerSecond(), "%,.0f");
        }

        double throughputOurs = median(bulk, o, Bulk::eventsPerSecond);
        double throughputPeer = median(bulk, p, Bulk::eventsPerSecond);
        Histogram lagOurs = merged(o);
        Histogram lagPeer = merged(p);
        double cpuOurs = cpuPerEvent(o);
        double cpuPeer = cpuPerEvent(p);
        double idleOurs = mean(paced, o, Paced::idleMillisPerSecond);
        double idlePeer = mean(paced, p, Paced::idleMillisPerSecond);
        String rate = String.format("%,d/s", options.rate());

        OUT.println();
        OUT.printf("Summary over %d rounds (lag: all windows' samples together; CPU: total CPU / total events; "
                + "throughput: median of rounds)%n", options.rounds());
        String line = "+-------------------------------------------+------------+------------+-----------+-----------------+------+";
        OUT.println(line);
        OUT.printf("| %-41s | %10s | %10s | %9s | %-15s | %-4s |%n", "metric", "ours", "peer", "ours/peer", "target", "met");
        OUT.println(line);
        row("bulk throughput (events/s)", throughputOurs, throughputPeer, "%,.0f", ">= 1.0x peer",
                throughputOurs >= throughputPeer);
        row("bulk CPU per event (µs)", cpuPerEventBulk(o), cpuPerEventBulk(p), "%.1f", "", null);
        row("lag p50 at " + rate + " (ms)", lagOurs.getValueAtPercentile(50) / 1e3, lagPeer.getValueAtPercentile(50) / 1e3,
                "%.1f", "", null);
        row("lag p99 at " + rate + " (ms)", lagOurs.getValueAtPercentile(99) / 1e3, lagPeer.getValueAtPercentile(99) / 1e3,
                "%.1f", "<= peer", lagOurs.getValueAtPercentile(99) <= lagPeer.getValueAtPercentile(99));
        row("lag max at " + rate + " (ms)", lagOurs.getMaxValue() / 1e3, lagPeer.getMaxValue() / 1e3, "%.1f", "", null);
        row("CPU per event at " + rate + " (µs)", cpuOurs, cpuPeer, "%.0f", "<= 0.5x peer", cpuOurs <= 0.5 * cpuPeer);
        double busyOurs = cpuOurs - idleOurs * 1e3 / options.rate();
        double busyPeer = cpuPeer - idlePeer * 1e3 / options.rate();
        row("  of it above idle (µs)", busyOurs, busyPeer, "%.0f", "", null);
        row("idle CPU (ms per s)", idleOurs, idlePeer, "%.0f", "", null);
        OUT.println(line);

        OUT.println();
        OUT.println("Targets (issue 3):");
        target("throughput >= 1.0x peer", throughputOurs >= throughputPeer,
                String.format("%.2fx", throughputOurs / throughputPeer));
        target("lag p99 at " + rate + " <= peer's", lagOurs.getValueAtPercentile(99) <= lagPeer.getValueAtPercentile(99),
                String.format("%.1f ms vs %.1f ms", lagOurs.getValueAtPercentile(99) / 1e3, lagPeer.getValueAtPercentile(99) / 1e3));
        target("CPU per event at " + rate + " <= 0.5x peer", cpuOurs <= 0.5 * cpuPeer,
                String.format("%.2fx", cpuOurs / cpuPeer));

        for (String system : List.of(o, p)) {
            OUT.println();
            OUT.printf("CPU by thread of %s during the paced windows (µs per event; JVM thread names cut to 15 characters):%n",
                    system);
            split(paced.stream().filter(x -> x.system().equals(system)).map(Paced::threadCpu).toList(),
                    paced.stream().filter(x -> x.system().equals(system)).mapToLong(x -> x.window().rows()).sum());
            OUT.printf("CPU by thread of %s while idle (ms per s):%n", system);
            split(paced.stream().filter(x -> x.system().equals(system)).map(Paced::idleThreadCpu).toList(),
                    paced.stream().filter(x -> x.system().equals(system)).mapToDouble(Paced::idleSeconds).sum() * 1e3);
            OUT.printf("CPU by thread of %s during the bulk drains (µs per event):%n", system);
            split(bulk.stream().filter(x -> x.system().equals(system)).map(Bulk::threadCpu).toList(),
                    bulk.stream().filter(x -> x.system().equals(system)).mapToLong(Bulk::rows).sum());
        }
        OUT.println();
        long missing = paced.stream().mapToLong(Paced::missing).sum() + bulk.stream().mapToLong(Bulk::missing).sum();
        OUT.printf("rows missing: %d; duplicates seen: %s; load average at end: %s%n", missing, duplicates, loadAverage);
    }

    /** Prints the largest thread groups' CPU divided by {@code per} (events, or milliseconds of idle time). */
    private void split(List<Map<String, Long>> windows, double per) {
        Map<String, Long> total = new LinkedHashMap<>();
        windows.forEach(w -> w.forEach((name, nanos) -> total.merge(name, nanos, Long::sum)));
        long all = total.values().stream().mapToLong(Long::longValue).sum();
        total.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> OUT.printf("    %-22s %8.1f  (%4.1f%%)%n", e.getKey(), e.getValue() / 1e3 / per,
                        100.0 * e.getValue() / all));
    }

    private static void roundRow(int round, String metric, double ours, double peer, String format) {
        OUT.printf("  %-5d %-44s %12s %12s %8.2f%n", round, metric, String.format(format, ours), String.format(format, peer),
                ours / peer);
    }

    private static void row(String metric, double ours, double peer, String format, String target, Boolean met) {
        OUT.printf("| %-41s | %10s | %10s | %9.2f | %-15s | %-4s |%n", metric, String.format(format, ours),
                String.format(format, peer), ours / peer, target, met == null ? "" : met ? "yes" : "NO");
    }

    private static void target(String name, boolean met, String detail) {
        OUT.printf("  %-40s %s (%s)%n", name, met ? "MET" : "NOT MET", detail);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e3;
    }

    private Histogram merged(String system) {
        Histogram all = new Histogram(3_600_000_000L, 3);
        paced.stream().filter(x -> x.system().equals(system)).forEach(x -> all.add(x.lag()));
        return all;
    }

    private double cpuPerEvent(String system) {
        long cpu = paced.stream().filter(x -> x.system().equals(system)).mapToLong(Paced::cpuNanos).sum();
        long rows = paced.stream().filter(x -> x.system().equals(system)).mapToLong(x -> x.window().rows()).sum();
        return cpu / 1e3 / rows;
    }

    private double cpuPerEventBulk(String system) {
        long cpu = bulk.stream().filter(x -> x.system().equals(system)).mapToLong(Bulk::cpuNanos).sum();
        long rows = bulk.stream().filter(x -> x.system().equals(system)).mapToLong(Bulk::rows).sum();
        return cpu / 1e3 / rows;
    }

    private static <T> T find(List<T> results, String system, int round) {
        Function<T, String> systemOf = r -> r instanceof Paced x ? x.system() : ((Bulk) r).system();
        Function<T, Integer> roundOf = r -> r instanceof Paced x ? x.round() : ((Bulk) r).round();
        return results.stream().filter(r -> systemOf.apply(r).equals(system) && roundOf.apply(r) == round).findFirst()
                .orElseThrow();
    }

    private static <T> double median(List<T> results, String system, ToDoubleFunction<T> value) {
        double[] values = results.stream().filter(r -> systemOf(r).equals(system)).mapToDouble(value).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static <T> double mean(List<T> results, String system, ToDoubleFunction<T> value) {
        return results.stream().filter(r -> systemOf(r).equals(system)).mapToDouble(value).average().orElse(Double.NaN);
    }

    private static String systemOf(Object result) {
        return result instanceof Paced x ? x.system() : ((Bulk) result).system();
    }
}
