package dev.sagaplatform.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./platform simulate}: runs the deterministic simulator (platform-simulator) as a program of its own, with every
 * argument passed on. It holds the services' business code, which the CLI does not, and wants the full JIT, which the
 * CLI's quick-start flags switch off; {@code ./platform} builds it when it is older than the services' sources.
 */
@Command(name = "simulate", description = {"Deterministic simulation of both saga flows under faults drawn from a seed"
        + " (its options: ./platform simulate --help; docs/simulation.md)."})
final class Simulate implements Callable<Integer> {

    static final String JAR = "platform-simulator/target/platform-simulator-0.1.0-SNAPSHOT.jar";

    @Mixin
    PlatformCli.Location location = new PlatformCli.Location();

    /** Everything after {@code simulate}, for the simulator's own option parser (its --help included). */
    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        Path jar = location.projectRoot().resolve(JAR);
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            throw new CliException("The simulator is not built (" + jar + "): ./platform simulate builds it, or"
                    + " ./mvnw -B -pl platform-simulator -am package -DskipTests -Djib.skip=true");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-XX:+UseParallelGC", "-jar", jar.toString()));
        command.addAll(arguments);
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new CliException("Could not start the simulator: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }
}
