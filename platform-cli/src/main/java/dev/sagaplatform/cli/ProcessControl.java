package dev.sagaplatform.cli;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Starts processes that outlive the CLI and finds them again through pid files.
 * <p>
 * A process is started detached: in its own session ({@code setsid}, where available) so that
 * Ctrl-C in the terminal and closing the terminal do not reach it, with standard input from
 * {@code /dev/null} and standard output and error appended to its log file. Its pid file holds the
 * pid, the port and a marker that must appear in the process's command line, so that a pid reused by
 * an unrelated process after a reboot or crash is never mistaken for (or stopped as) ours.
 */
final class ProcessControl {

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().contains("win");

    private final RunFolder runFolder;

    ProcessControl(RunFolder runFolder) {
        this.runFolder = runFolder;
    }

    /** A process found through its pid file. */
    record Running(Instance instance, long pid, int port, Instant started) {

        Component component() {
            return instance.component();
        }
    }

    /** The running process of a component's first instance (the only one of a single-process component). */
    Optional<Running> find(Component component) {
        return find(Instance.first(component));
    }

    /**
     * Every running instance of a component, by ordinal, whatever the replica count says now: after the count was
     * lowered, instances beyond it that still run are found (and stopped by {@code down}).
     */
    List<Running> findAll(Component component) {
        List<Running> found = new ArrayList<>();
        for (int ordinal = 1; ordinal <= highestOrdinal(component); ordinal++) {
            find(new Instance(component, ordinal)).ifPresent(found::add);
        }
        return found;
    }

    /** The highest ordinal with a pid file (1 when there is none). */
    int highestOrdinal(Component component) {
        int highest = 1;
        java.util.regex.Pattern name = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(component.id()) + "-(\\d+)\\.pid");
        if (Files.isDirectory(runFolder.pids())) {
            try (var files = Files.list(runFolder.pids())) {
                for (Path file : files.toList()) {
                    java.util.regex.Matcher matcher = name.matcher(file.getFileName().toString());
                    if (matcher.matches()) {
                        highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
                    }
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return highest;
    }

    /** The running process of an instance, if its pid file names a live process that is really ours. */
    Optional<Running> find(Instance instance) {
        Path pidFile = runFolder.pidFile(instance);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        Properties properties = RunFolder.load(pidFile);
        long pid;
        int port;
        try {
            pid = Long.parseLong(properties.getProperty("pid", "").trim());
            port = Integer.parseInt(properties.getProperty("port", "0").trim());
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
        String marker = properties.getProperty("marker", "");
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty() || !isOurs(handle.get(), marker)) {
            return Optional.empty();
        }
        Instant started = handle.get().info().startInstant().orElse(null);
        return Optional.of(new Running(instance, pid, port, started));
    }

    private static boolean isOurs(ProcessHandle handle, String marker) {
        Optional<String> commandLine = handle.info().commandLine();
        if (commandLine.isPresent()) {
            return commandLine.get().contains(marker);
        }
        // Some systems hide other processes' arguments; a live pid from our own pid file is then the best evidence.
        Optional<String[]> arguments = handle.info().arguments();
        return arguments.map(args -> String.join(" ", args).contains(marker)).orElse(true);
    }

    /**
     * Starts {@code command} detached, writes its pid file and returns its pid.
     *
     * @param marker a string of the command line that identifies this process (a data directory,
     *               a {@code -Dplatform.process=...} property)
     */
    long start(Component component, List<String> command, Map<String, String> environment, int port, String marker) {
        return start(Instance.first(component), command, environment, port, marker);
    }

    long start(Instance instance, List<String> command, Map<String, String> environment, int port, String marker) {
        Path log = runFolder.logFile(instance);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, System.lineSeparator() + "=== " + Instant.now() + " ./platform starts " + instance.id()
                    + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            List<String> full = new ArrayList<>();
            if (!WINDOWS && Tools.onPath("setsid")) {
                full.add("setsid");
            }
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full);
            builder.environment().putAll(environment);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.redirectInput(ProcessBuilder.Redirect.from(new File(WINDOWS ? "NUL" : "/dev/null")));
            builder.directory(runFolder.root().toFile());
            Process process = builder.start();
            writePidFile(instance, process.pid(), port, marker);
            return process.pid();
        }
        catch (IOException ex) {
            throw new CliException("Could not start " + instance.id() + ": " + ex.getMessage(), ex);
        }
    }

    void writePidFile(Component component, long pid, int port, String marker) {
        writePidFile(Instance.first(component), pid, port, marker);
    }

    void writePidFile(Instance instance, long pid, int port, String marker) {
        Properties properties = new Properties();
        properties.setProperty("pid", String.valueOf(pid));
        properties.setProperty("port", String.valueOf(port));
        properties.setProperty("marker", marker);
        RunFolder.store(runFolder.pidFile(instance), properties, instance.id() + ", started by ./platform up");
    }

    void removePidFile(Component component) {
        removePidFile(Instance.first(component));
    }

    void removePidFile(Instance instance) {
        try {
            Files.deleteIfExists(runFolder.pidFile(instance));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Whether the process started as {@code pid} is still alive (false once it exited). */
    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops a process: {@code signal} first (TERM through the JDK, or another one through
     * {@code kill}), SIGKILL if it has not exited within {@code timeout}. Returns true if it needed SIGKILL.
     */
    static boolean stop(long pid, String signal, Duration timeout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if ("TERM".equals(signal) || WINDOWS) {
            handle.get().destroy();
        }
        else {
            try {
                new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            }
            catch (IOException ex) {
                handle.get().destroy();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            handle.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return false;
        }
        catch (java.util.concurrent.TimeoutException ex) {
            handle.get().destroyForcibly();
            waitForExit(handle.get(), Duration.ofSeconds(10));
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (java.util.concurrent.ExecutionException ex) {
            return false;
        }
    }

    private static void waitForExit(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive() && System.nanoTime() < deadline) {
            Tools.sleep(50);
        }
    }

    /** The last {@code lines} lines of a log file. */
    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log file " + file + ")";
        }
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            long window = Math.min(length, Math.max(16_384L, lines * 400L));
            byte[] bytes = new byte[(int) window];
            reader.seek(length - window);
            reader.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException ex) {
            return "(could not read " + file + ": " + ex.getMessage() + ")";
        }
    }
}
