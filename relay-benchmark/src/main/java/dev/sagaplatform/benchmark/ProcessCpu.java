package dev.sagaplatform.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process and of its threads, from Linux's {@code /proc} (user + system, in clock
 * ticks of 10 ms). The per-thread split is a cheap profile: JVM threads carry (the first 15
 * characters of) their Java names, so it shows which part of a relay spends the time.
 */
final class ProcessCpu {

    private static final long NANOS_PER_TICK = 10_000_000L; // CLK_TCK = 100 on Linux

    private ProcessCpu() {
    }

    /** @return user + system CPU time of the whole process so far, in nanoseconds (-1 if it is gone) */
    static long nanos(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * NANOS_PER_TICK;
        } catch (IOException e) {
            return -1;
        }
    }

    /** CPU nanoseconds so far per thread, keyed by thread id and name. */
    static Map<String, Long> threads(long pid) {
        Map<String, Long> result = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    result.put(task.getFileName() + " " + name, ticks(stat) * NANOS_PER_TICK);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            });
        } catch (IOException e) {
            // the process is gone
        }
        return result;
    }

    /**
     * CPU spent between two {@link #threads} snapshots, grouped by thread name with numbers folded
     * ({@code kafka-producer-network-thread}, {@code GC Thread#}), largest first.
     */
    static Map<String, Long> splitByThreadGroup(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> groups = new HashMap<>();
        after.forEach((key, nanos) -> {
            long delta = nanos - before.getOrDefault(key, 0L);
            if (delta > 0) {
                String name = key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "#");
                groups.merge(name, delta, Long::sum);
            }
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static long ticks(String stat) {
        // Fields after the command name, which is in parentheses and may itself contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
