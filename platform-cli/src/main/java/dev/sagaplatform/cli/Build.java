package dev.sagaplatform.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The services' runnable jars ({@code <module>/target/<module>-<version>-exec.jar}) and building them
 * with the Maven Wrapper when they are missing or older than their sources.
 */
final class Build {

    /** Modules whose code ends up in every service jar. */
    private static final List<String> SHARED_MODULES = List.of("platform-contracts", "platform-messaging", "platform-web");

    private final Path projectRoot;

    Build(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    Optional<Path> jar(Component service) {
        Path target = projectRoot.resolve(service.id()).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, service.id() + "-*-exec.jar")) {
            List<Path> found = new ArrayList<>();
            jars.forEach(found::add);
            return found.stream().max(Comparator.comparing(Build::modified));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Services whose jar is missing, or, with {@code includeStale}, older than a source file that goes into it. */
    List<Component> needingBuild(boolean includeStale) {
        List<Component> result = new ArrayList<>();
        for (Component service : Component.values()) {
            if (!service.isService()) {
                continue;
            }
            Optional<Path> jar = jar(service);
            if (jar.isEmpty()) {
                if (Files.isDirectory(projectRoot.resolve(service.id()).resolve("src").resolve("main"))) {
                    result.add(service);
                }
            }
            else if (includeStale && isStale(service, jar.get())) {
                result.add(service);
            }
        }
        return result;
    }

    private boolean isStale(Component service, Path jar) {
        FileTime built = modified(jar);
        List<Path> inputs = new ArrayList<>();
        inputs.add(projectRoot.resolve("pom.xml"));
        inputs.add(projectRoot.resolve(service.id()).resolve("pom.xml"));
        inputs.add(projectRoot.resolve(service.id()).resolve("src").resolve("main"));
        for (String module : SHARED_MODULES) {
            inputs.add(projectRoot.resolve(module).resolve("pom.xml"));
            inputs.add(projectRoot.resolve(module).resolve("src").resolve("main"));
        }
        return inputs.stream().anyMatch(input -> newestUnder(input).compareTo(built) > 0);
    }

    private static FileTime newestUnder(Path path) {
        if (!Files.exists(path)) {
            return FileTime.fromMillis(0);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).map(Build::modified).max(Comparator.naturalOrder())
                    .orElse(FileTime.fromMillis(0));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Builds the given services (and what they need) with {@code ./mvnw package}, tests skipped: the
     * test suite is {@code ./mvnw -B verify}'s job. Maven's output goes straight to the terminal.
     */
    void build(List<Component> services, PrintStream out) {
        if (services.isEmpty()) {
            return;
        }
        Path mvnw = projectRoot.resolve(isWindows() ? "mvnw.cmd" : "mvnw");
        if (!Files.isRegularFile(mvnw)) {
            throw new CliException("Cannot build: no Maven Wrapper at " + mvnw);
        }
        List<String> modules = services.stream().map(Component::id).toList();
        List<String> command = new ArrayList<>(List.of(mvnw.toString(), "-B", "-q", "package", "-Dmaven.test.skip=true",
                // the image check (jib:buildTar on every package) is the test suite's job, not the local platform's
                "-Djib.skip=true",
                "-pl", String.join(",", modules), "-am"));
        out.println("Building " + String.join(", ", modules) + " with Maven (tests skipped; the first build downloads"
                + " dependencies and takes a few minutes):");
        out.println("  " + String.join(" ", command.subList(1, command.size())));
        long begin = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).directory(projectRoot.toFile()).inheritIO().start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new CliException("The build failed (exit code " + exit + "); Maven's messages are above.");
            }
        }
        catch (IOException ex) {
            throw new CliException("Could not run the Maven Wrapper: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
        out.println("Built in " + Tools.seconds(System.nanoTime() - begin) + ".");
    }

    Map<Component, Path> jars() {
        Map<Component, Path> jars = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            if (component.isService()) {
                jar(component).ifPresent(jar -> jars.put(component, jar));
            }
        }
        return jars;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().contains("win");
    }
}
