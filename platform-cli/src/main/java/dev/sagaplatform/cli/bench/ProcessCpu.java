package dev.sagaplatform.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and resident memory of the platform's processes from {@code /proc}: user + system time of
 * the process and of its children that ended (PostgreSQL's backends are its children; their CPU is
 * counted with the server), in milliseconds. A window's CPU is the difference of two readings.
 */
public final class ProcessCpu {

    /** Clock ticks per second; 100 on Linux everywhere the platform runs. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** Milliseconds of CPU per name; a process with children (PostgreSQL) counts them too. */
    public static Map<String, Long> millis(Map<String, Long> pids) {
        Map<String, Long> result = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long ticks = ticks(pid);
            for (long child : children(pid)) {
                ticks += ticks(child);
            }
            result.put(name, ticks * 1000 / TICKS_PER_SECOND);
        });
        return result;
    }

    /** Resident set size in MiB per name, children included. */
    public static Map<String, Long> residentMiB(Map<String, Long> pids) {
        Map<String, Long> result = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long kib = rssKib(pid);
            for (long child : children(pid)) {
                kib += rssKib(child);
            }
            result.put(name, kib / 1024);
        });
        return result;
    }

    public static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> result = new LinkedHashMap<>();
        after.forEach((name, value) -> result.put(name, value - before.getOrDefault(name, 0L)));
        return result;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime are fields 14-17 of the whole line, 12-15 after the name.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return 0;
    }

    private static List<Long> children(long pid) {
        return ProcessHandle.of(pid).map(handle -> handle.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }
}
