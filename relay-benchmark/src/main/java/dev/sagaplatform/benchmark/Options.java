package dev.sagaplatform.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line settings, {@code --name=value}. The defaults are the measurement and keep a
 * run under ten minutes on two cores.
 */
record Options(
        int rate,
        Duration latencyWindow,
        Duration idleWindow,
        int warmupRows,
        Duration warmupPaced,
        int bulkRows,
        int bulkTransactionRows,
        int rounds,
        String heap,
        int lingerMillis,
        Path peerClasspathFile,
        Path jfrDirectory,
        String oursClasspathPrefix,
        boolean prototype) {

    private static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        HELP.put("rate", "events/s of the paced single-row phase (default 1000)");
        HELP.put("latency-seconds", "length of one paced measurement window (default 30)");
        HELP.put("idle-seconds", "length of the idle CPU window (default 10)");
        HELP.put("warmup-rows", "rows drained in 1,000-row transactions before measuring (default 100000)");
        HELP.put("warmup-paced-seconds", "seconds of paced single-row warm-up after that (default 30)");
        HELP.put("bulk-rows", "rows of one bulk throughput measurement (default 100000)");
        HELP.put("bulk-transaction-rows", "rows per bulk transaction (default 1000)");
        HELP.put("rounds", "measurement rounds; each round measures both systems, alternating who goes first (default 3)");
        HELP.put("linger-ms", "producer linger.ms of both systems (default 1, the relay's default)");
        HELP.put("xmx", "maximum heap of both relay JVMs (default 512m)");
        HELP.put("peer-classpath-file", "file with the Kafka Connect worker's classpath (run.sh writes it)");
        HELP.put("jfr", "directory: record a JFR profile of both relays during the measurements (off by default)");
        HELP.put("ours", "relay (default) or prototype: the direct-pgoutput experiment in place of the relay");
        HELP.put("ours-classes", "classes directory or jar put in front of the relay's classpath, to measure a changed relay");
    }

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(null);
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new UsageException("not understood: " + arg);
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!HELP.containsKey(name)) {
                throw new UsageException("unknown option --" + name);
            }
            values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        String classpathFile = values.get("peer-classpath-file");
        if (classpathFile == null) {
            throw new UsageException("--peer-classpath-file is required (relay-benchmark/run.sh passes it)");
        }
        Options options = new Options(
                positive(values, "rate", 1000),
                Duration.ofSeconds(positive(values, "latency-seconds", 30)),
                Duration.ofSeconds(positive(values, "idle-seconds", 10)),
                positive(values, "warmup-rows", 100_000),
                Duration.ofSeconds(positive(values, "warmup-paced-seconds", 30)),
                positive(values, "bulk-rows", 100_000),
                positive(values, "bulk-transaction-rows", 1000),
                positive(values, "rounds", 3),
                values.getOrDefault("xmx", "512m"),
                values.containsKey("linger-ms") ? positive(values, "linger-ms", 1) : 1,
                Path.of(classpathFile),
                values.containsKey("jfr") ? Path.of(values.get("jfr")).toAbsolutePath() : null,
                values.containsKey("ours-classes") ? Path.of(values.get("ours-classes")).toAbsolutePath().toString() : null,
                "prototype".equals(values.get("ours")));
        if (values.containsKey("ours") && !List.of("relay", "prototype").contains(values.get("ours"))) {
            throw new UsageException("--ours must be relay or prototype");
        }
        if (options.rate > 5000) {
            throw new UsageException("--rate above 5000 is more than one writer thread can pace here");
        }
        return options;
    }

    /** Rows each system needs sequence numbers for, with room for readiness probes. */
    int rowsPerSystem() {
        long paced = (long) rate * (warmupPaced.toSeconds() + rounds * (latencyWindow.toSeconds() + RelayBenchmark.SETTLE.toSeconds() + 2));
        return Math.toIntExact(10_000 + warmupRows + paced + (long) rounds * bulkRows);
    }

    static String usage() {
        StringBuilder text = new StringBuilder("Options (all optional but the classpath file):\n");
        HELP.forEach((name, help) -> text.append(String.format("  --%-24s %s%n", name + "=", help)));
        return text.toString();
    }

    private static int positive(Map<String, String> values, String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed <= 0) {
                throw new UsageException("--" + name + " must be positive, was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was " + value);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
