package dev.sagaplatform.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a child JVM with this JVM's classpath: for servers and services that a test
 * must be able to kill and start again, which is impossible inside the test JVM.
 * <p>
 * Standard output and error go, appended, to one log file, so a restarted process continues the
 * same log. Children still running when the test JVM exits are killed, so a failed test does not
 * leave brokers holding ports and memory on a CI machine.
 */
public final class JavaProcess {

    private static final Set<JavaProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(child -> {
            Process process = child.process;
            if (process != null) {
                process.destroyForcibly();
            }
        }), "java-process-reaper"));
    }

    private final String mainClass;
    private final List<String> args;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final List<String> jvmArgs;
    private final String maxHeap;
    private final String classpath;
    private final Path logFile;
    private final Path workingDirectory;

    private volatile Process process;

    private JavaProcess(Builder builder) throws IOException {
        this.mainClass = builder.mainClass;
        this.args = List.copyOf(builder.args);
        this.systemProperties = Map.copyOf(builder.systemProperties);
        this.environment = Map.copyOf(builder.environment);
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.maxHeap = builder.maxHeap;
        this.classpath = builder.classpath != null ? builder.classpath : System.getProperty("java.class.path");
        String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_-]", "_");
        this.logFile = builder.logFile != null ? builder.logFile : Files.createTempFile(simpleName + "-", ".log");
        this.workingDirectory = builder.workingDirectory;
    }

    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** Starts the process; after {@link #stop()} or {@link #kill()} it may be started again. */
    public synchronized JavaProcess start() {
        InfrastructureTagCheck.requireTag("starts the JVM " + mainClass);
        if (isAlive()) {
            throw new IllegalStateException(mainClass + " is already running as pid " + process.pid());
        }
        try {
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ProcessBuilder builder = new ProcessBuilder(command());
            builder.environment().putAll(environment);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            process = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start a JVM for " + mainClass, ex);
        }
        RUNNING.add(this);
        return this;
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public long pid() {
        return started().pid();
    }

    /** SIGTERM, so the child's shutdown hooks run; SIGKILL if it has not exited after 30 s. */
    public int stop() {
        return stop(Duration.ofSeconds(30));
    }

    public int stop(Duration timeout) {
        Process current = started();
        current.destroy();
        try {
            if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                current.destroyForcibly();
                current.waitFor();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            current.destroyForcibly();
            throw new IllegalStateException("Interrupted while stopping " + mainClass, ex);
        }
        RUNNING.remove(this);
        return current.exitValue();
    }

    /** SIGKILL: no shutdown hooks, no flushing; the way a crash looks to the rest of the system. */
    public int kill() {
        Process current = started();
        current.destroyForcibly();
        try {
            current.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + mainClass, ex);
        }
        RUNNING.remove(this);
        return current.exitValue();
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int waitFor(Duration timeout) {
        Process current = started();
        try {
            if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(mainClass + " did not exit within " + timeout + "; last log lines:\n" + tailLog(20));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + mainClass, ex);
        }
        RUNNING.remove(this);
        return current.exitValue();
    }

    /** The last lines of the log file (all runs of this process), joined with newlines. */
    public String tailLog(int lines) {
        return tail(logFile, lines);
    }

    public Path logFile() {
        return logFile;
    }

    private List<String> command() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (maxHeap != null) {
            command.add("-Xmx" + maxHeap);
        }
        if (Runtime.version().feature() >= 24) {
            // Kafka, Netty and friends still use sun.misc.Unsafe, native access and dynamic agents;
            // Java 24+ warns about or refuses them. Java 17 rejects the first flag, hence the check.
            command.add("--sun-misc-unsafe-memory-access=allow");
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-XX:+EnableDynamicAgentLoading");
        }
        command.addAll(jvmArgs);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        // A long test classpath can exceed the kernel's 128 KiB limit for one argument.
        command.add("@" + classpathArgumentFile());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    private Path classpathArgumentFile() throws IOException {
        Path file = Files.createTempFile("java-process-classpath-", ".args");
        file.toFile().deleteOnExit();
        String quoted = classpath.replace("\\", "\\\\").replace("\"", "\\\"");
        Files.writeString(file, "-cp \"" + quoted + "\"\n", StandardCharsets.UTF_8);
        return file;
    }

    private Process started() {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(mainClass + " has not been started");
        }
        return current;
    }

    static String tail(Path file, int lines) {
        if (lines <= 0 || !Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            long window = Math.max(8192L, lines * 200L);
            while (true) {
                long from = Math.max(0, length - window);
                byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - from)];
                reader.seek(length - bytes.length);
                reader.readFully(bytes);
                List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
                // Unless the window reaches the file's start, its first line is cut off: need one extra.
                if (from == 0 || all.size() > lines || bytes.length >= Integer.MAX_VALUE - 8) {
                    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
                }
                window *= 4;
            }
        }
        catch (IOException ex) {
            return "(could not read " + file + ": " + ex + ")";
        }
    }

    @Override
    public String toString() {
        Process current = process;
        return "JavaProcess[" + mainClass + (current != null ? ", pid " + current.pid() + (current.isAlive() ? "" : " (exited)") : "")
                + ", log " + logFile + "]";
    }

    /** Describes the child JVM; {@link #build()} or {@link #start()} it. */
    public static final class Builder {

        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private String maxHeap = "256m";
        private String classpath;
        private Path logFile;
        private Path workingDirectory;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Maximum heap, as for {@code -Xmx} ("512m"); default 256m rather than a quarter of the RAM. */
        public Builder xmx(String value) {
            maxHeap = value;
            return this;
        }

        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        /** Default: a new temporary file named after the main class. */
        public Builder logFile(Path value) {
            logFile = value;
            return this;
        }

        /** Default: this JVM's {@code java.class.path} (Surefire puts the full test classpath there). */
        public Builder classpath(String value) {
            classpath = value;
            return this;
        }

        public Builder workingDirectory(Path value) {
            workingDirectory = value;
            return this;
        }

        public JavaProcess build() {
            try {
                return new JavaProcess(this);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        public JavaProcess start() {
            return build().start();
        }
    }
}
