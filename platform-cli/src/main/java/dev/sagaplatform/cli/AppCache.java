package dev.sagaplatform.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Faster service start-up (measured here: the whole platform ready in ~20 s instead of 60–100 s): each runnable jar is extracted once
 * ({@code -Djarmode=tools extract}) into {@code apps/} in the run folder, so classes load from plain
 * jars instead of jars nested in a jar; and each service's JVM writes a class-data-sharing archive
 * when it exits ({@code -XX:ArchiveClassesAtExit}, on the first {@code down}) that every later start
 * maps instead of loading and verifying those classes again.
 * <p>
 * Both are keyed by the jar's size and time (a rebuilt jar gets a new folder) and the archive also by
 * the Java version (another JDK would refuse it). If extraction fails the service runs from its jar.
 */
final class AppCache {

    private final RunFolder runFolder;
    private final PrintStream out;

    AppCache(RunFolder runFolder, PrintStream out) {
        this.runFolder = runFolder;
        this.out = out;
    }

    /** The extracted runnable jar of this service jar, extracting it first if needed. */
    Optional<Path> extracted(Component service, Path jar) {
        try {
            String key = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
            Path apps = runFolder.root().resolve("apps");
            Path dir = apps.resolve(service.id() + "-" + key);
            Path runnable = dir.resolve(jar.getFileName());
            if (Files.isRegularFile(runnable)) {
                return Optional.of(runnable);
            }
            Files.createDirectories(apps);
            deleteOlder(apps, service, dir);
            Path partial = apps.resolve(dir.getFileName() + ".partial");
            deleteRecursively(partial);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djarmode=tools",
                    "-jar", jar.toString(), "extract", "--destination", partial.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(runFolder.logFile(service).toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                out.println("  " + service.id() + ": could not extract " + jar.getFileName() + " (see its log); it runs from the jar");
                return Optional.empty();
            }
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            return Files.isRegularFile(runnable) ? Optional.of(runnable) : Optional.empty();
        }
        catch (IOException ex) {
            out.println("  " + service.id() + ": could not extract " + jar.getFileName() + " (" + ex.getMessage() + "); it runs from the jar");
            return Optional.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    /** Use the service's class-data-sharing archive if an earlier run wrote one, else write one at exit. */
    static List<String> classDataSharing(Path runnable) {
        return classDataSharing(runnable, true);
    }

    /**
     * @param mayWrite whether this JVM may write the archive when there is none: only a service's first instance does, so
     *                 that several instances exiting together never write one file at once
     */
    static List<String> classDataSharing(Path runnable, boolean mayWrite) {
        Path archive = runnable.resolveSibling("cds-java" + Runtime.version().feature() + "-" + System.getProperty("java.vm.version")
                .replaceAll("[^A-Za-z0-9.+-]", "_") + ".jsa");
        // The JVM's CDS notes (classes it cannot archive, say) are noise in a service's log.
        String quiet = "-Xlog:cds*=off";
        if (Files.isRegularFile(archive)) {
            return List.of(quiet, "-XX:SharedArchiveFile=" + archive);
        }
        return mayWrite ? List.of(quiet, "-XX:ArchiveClassesAtExit=" + archive) : List.of();
    }

    private static void deleteOlder(Path apps, Component service, Path keep) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(apps, service.id() + "-*")) {
            for (Path dir : dirs) {
                String rest = dir.getFileName().toString().substring(service.id().length() + 1);
                // Only this service's folders (order-service-…, not a service whose name starts the same way).
                if (!dir.equals(keep) && rest.matches("\\d+-\\d+(\\.partial)?")) {
                    deleteRecursively(dir);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }
}
