package dev.sagaplatform.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for the platform's JVMs: the CLI's own Java, a fixed heap, and a marker naming the process. */
final class JavaCommand {

    private final RunFolder runFolder;

    JavaCommand(RunFolder runFolder) {
        this.runFolder = runFolder;
    }

    /** The {@code -D} property that identifies a platform JVM of this run folder in its command line. */
    String marker(String name) {
        return "-Dplatform.process=" + name + "@" + runFolder.root();
    }

    List<String> command(String name, String maxHeap, List<String> jvmOptions, String classpath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>(jvm(name, maxHeap, jvmOptions));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    List<String> jarCommand(String name, String maxHeap, List<String> jvmOptions, Path jar, List<String> args) {
        List<String> command = new ArrayList<>(jvm(name, maxHeap, jvmOptions));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }

    private List<String> jvm(String name, String maxHeap, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Without it every JVM may take a quarter of the machine's memory.
        command.add("-Xmx" + maxHeap);
        if (Runtime.version().feature() >= 24) {
            // Kafka, Netty and friends still use sun.misc.Unsafe, native access and agents; Java 17 rejects the first flag.
            command.add("--sun-misc-unsafe-memory-access=allow");
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-XX:+EnableDynamicAgentLoading");
        }
        command.addAll(jvmOptions);
        command.add(marker(name));
        return command;
    }

    /** The CLI's own jar and its runtime classpath ({@code target/lib/*}): the fault proxy, the Kafka broker and its SLF4J binding. */
    String cliClasspath() {
        Path jar = cliJar();
        if (Files.isDirectory(jar)) {
            // Run from compiled classes (tests, an IDE): this JVM's classpath has the same libraries.
            return System.getProperty("java.class.path");
        }
        Path lib = jar.getParent().resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new CliException("The CLI's libraries are missing (" + lib + "): rebuild it with"
                    + " ./mvnw -q -pl platform-cli -am package -DskipTests");
        }
        return jar + File.pathSeparator + lib + File.separator + "*";
    }

    /**
     * The CLI's classpath for a long-running process of its own classes (the fault proxy), with the CLI jar
     * copied into the run folder first: {@code ./platform} rebuilds that jar whenever the CLI's sources change,
     * and a JVM whose jar is replaced under it fails on the next class it loads.
     */
    String cliClasspathCopied(String name) {
        Path jar = cliJar();
        if (Files.isDirectory(jar)) {
            return System.getProperty("java.class.path");
        }
        Path copy = runFolder.root().resolve("apps").resolve(name + ".jar");
        try {
            Files.createDirectories(copy.getParent());
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        catch (java.io.IOException ex) {
            throw new CliException("Could not copy " + jar + " to " + copy + ": " + ex.getMessage());
        }
        return copy + File.pathSeparator + jar.getParent().resolve("lib") + File.separator + "*";
    }

    static Path cliJar() {
        try {
            return Path.of(JavaCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
