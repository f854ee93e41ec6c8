package dev.sagaplatform.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What the CLI's command tests share: running a command for its error output, a repository root to run it in, ports. */
final class CliFixtures {

    private CliFixtures() {
    }

    /** Runs {@code ./platform args} with an empty environment and returns what it printed on standard error. */
    static String errorsOf(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PlatformCli.execute(Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return err.toString(StandardCharsets.UTF_8);
    }

    /** What {@code ./platform status --run-folder folder} printed (it prints through System.out). */
    static String statusOf(Path folder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            PlatformCli.execute(Map.of(), System.out, System.err, "status", "--run-folder", folder.toString());
        }
        finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every component on its default port, to change one by one. */
    static Map<Component, Integer> defaultPorts() {
        Map<Component, Integer> ports = new java.util.EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            ports.put(component, component.defaultPort());
        }
        return ports;
    }

    /** A repository root under {@code folder} with (empty) runnable jars for every service. */
    static Path fakeProject(Path folder) throws Exception {
        Path project = folder.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        for (Component component : Component.values()) {
            if (component.isService()) {
                Path target = Files.createDirectories(project.resolve(component.id()).resolve("target"));
                Files.writeString(target.resolve(component.id() + "-0.1.0-SNAPSHOT-exec.jar"), "");
            }
        }
        return project;
    }
}
