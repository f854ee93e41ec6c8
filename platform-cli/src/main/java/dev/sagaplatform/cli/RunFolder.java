package dev.sagaplatform.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local platform's state, by default {@code .platform/} in the repository root:
 * {@code logs/} (one file per process), {@code pids/} (one file per running process),
 * {@code postgres/} (binaries and data), {@code kafka/} (configuration and data),
 * {@code platform.properties} (ports chosen with flags) and {@code admin.properties}
 * (the generated admin password).
 */
final class RunFolder {

    static final String ADMIN_USER_ENV = "PLATFORM_ADMIN_USER";
    static final String ADMIN_PASSWORD_ENV = "PLATFORM_ADMIN_PASSWORD";

    private final Path root;

    /** The process environment the commands were started with; tests pass their own, so the caller's cannot leak in. */
    private final Map<String, String> environment;

    RunFolder(Path root, Map<String, String> environment) {
        this.root = root.toAbsolutePath().normalize();
        this.environment = Map.copyOf(environment);
    }

    Path root() {
        return root;
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path pids() {
        return root.resolve("pids");
    }

    Path postgres() {
        return root.resolve("postgres");
    }

    Path kafka() {
        return root.resolve("kafka");
    }

    Path logFile(Component component) {
        return logs().resolve(component.id() + ".log");
    }

    Path pidFile(Component component) {
        return pids().resolve(component.id() + ".pid");
    }

    private Path settingsFile() {
        return root.resolve("platform.properties");
    }

    private Path adminFile() {
        return root.resolve("admin.properties");
    }

    void create() {
        try {
            Files.createDirectories(logs());
            Files.createDirectories(pids());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create the run folder " + root, ex);
        }
    }

    /** Ports for every component: the defaults, then what earlier runs stored, then this run's flags. */
    Map<Component, Integer> ports(Map<Component, Integer> overrides) {
        Properties stored = load(settingsFile());
        Map<Component, Integer> ports = new java.util.EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            String value = stored.getProperty(component.portKey());
            ports.put(component, value == null ? component.defaultPort() : Integer.parseInt(value.trim()));
        }
        ports.putAll(overrides);
        return ports;
    }

    int kafkaControllerPort(Integer override) {
        if (override != null) {
            return override;
        }
        String value = load(settingsFile()).getProperty("port.kafka-controller");
        return value == null ? 9093 : Integer.parseInt(value.trim());
    }

    /** Remembers ports chosen with flags, so later commands (status, order, the next up) use them. */
    void storePorts(Map<Component, Integer> overrides, Integer kafkaControllerOverride) {
        if (overrides.isEmpty() && kafkaControllerOverride == null) {
            return;
        }
        Properties stored = load(settingsFile());
        overrides.forEach((component, port) -> stored.setProperty(component.portKey(), String.valueOf(port)));
        if (kafkaControllerOverride != null) {
            stored.setProperty("port.kafka-controller", String.valueOf(kafkaControllerOverride));
        }
        store(settingsFile(), stored, "Ports chosen with ./platform up flags");
    }

    /**
     * Admin credentials for the services' admin and operator endpoints: from the environment when
     * {@code PLATFORM_ADMIN_USER}/{@code PLATFORM_ADMIN_PASSWORD} are set, else the ones stored here,
     * else (on the first {@code up}) a newly generated password, stored with owner-only permissions.
     */
    AdminCredentials adminCredentials(boolean generateIfMissing) {
        String envPassword = environment.get(ADMIN_PASSWORD_ENV);
        String envUser = environment.get(ADMIN_USER_ENV);
        if (envPassword != null && !envPassword.isBlank()) {
            return new AdminCredentials(envUser == null || envUser.isBlank() ? "admin" : envUser, envPassword, false, null);
        }
        Properties stored = load(adminFile());
        if (stored.getProperty("password") != null) {
            return new AdminCredentials(stored.getProperty("user", "admin"), stored.getProperty("password"), false, adminFile());
        }
        if (!generateIfMissing) {
            return null;
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Properties generated = new Properties();
        generated.setProperty("user", envUser == null || envUser.isBlank() ? "admin" : envUser);
        generated.setProperty("password", password);
        store(adminFile(), generated, "Admin credentials generated by ./platform up (HTTP Basic on admin and operator endpoints)");
        ownerOnly(adminFile());
        return new AdminCredentials(generated.getProperty("user"), password, true, adminFile());
    }

    /**
     * Holds the run folder's lock for this command's lifetime: two {@code up}s at once would both see
     * a component missing and start it twice.
     */
    AutoCloseable lock() {
        create();
        Path lockFile = root.resolve(".lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            }
            catch (OverlappingFileLockException ex) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new CliException("Another ./platform command is starting or stopping the platform in " + root
                        + "; wait for it to finish.");
            }
            FileLock held = lock;
            return () -> {
                held.release();
                channel.close();
            };
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes the state (databases, topics, logs, settings, credentials). The unpacked PostgreSQL
     * binaries are no state and stay, which saves unpacking them again.
     */
    void clean() {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                boolean binaries = path.startsWith(postgres()) && path.getNameCount() > postgres().getNameCount()
                        && path.getName(postgres().getNameCount()).toString().startsWith("dist-");
                if (!path.equals(root) && !path.equals(postgres()) && !binaries && !path.getFileName().toString().equals(".lock")) {
                    Files.deleteIfExists(path);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not clean " + root, ex);
        }
    }

    static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Could not read " + file, ex);
            }
        }
        return properties;
    }

    static void store(Path file, Properties properties, String comment) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, comment);
            }
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write " + file, ex);
        }
    }

    private static void ownerOnly(Path file) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** HTTP Basic credentials; {@code generated} is true only on the run that created them. */
    record AdminCredentials(String user, String password, boolean generated, Path storedIn) {
    }
}
