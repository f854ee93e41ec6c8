package dev.sagaplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a real service exposes on {@code /actuator/prometheus}, recorded in {@code monitoring/exposed-metrics/
 * <service>.txt}. The dashboards and alert rules may use only names from those files (platform-cli's
 * {@code MonitoringFilesTest}); each service's test scrapes itself and fails here if a recorded name is no longer exposed,
 * so a renamed meter breaks a build instead of a dashboard.
 *
 * <p>Only the platform's own families are recorded (the {@link #PREFIXES}): JVM and HTTP metrics depend on the collector
 * and on which requests a test made. {@code -Dmetrics.record=true} rewrites the file from the scrape.
 */
public final class ExposedMetrics {

    public static final List<String> PREFIXES = List.of("orders_", "saga_", "relay_", "messaging_", "resilience4j_",
            "payments_", "inventory_", "gateway_");

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private ExposedMetrics() {
    }

    /** Sample names in a Prometheus text exposition ({@code foo_seconds_bucket}, not the family {@code foo_seconds}). */
    public static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher sample = SAMPLE.matcher(exposition);
        while (sample.find()) {
            String name = sample.group(1);
            if (PREFIXES.stream().anyMatch(name::startsWith)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Checks that every name recorded for {@code service} is in the scrape, or records the scrape when
     * {@code -Dmetrics.record=true}.
     *
     * @throws AssertionError naming what is recorded but no longer exposed
     */
    public static void verifyRecorded(String service, String exposition) {
        Set<String> scraped = names(exposition);
        Path file = recordFile(service);
        try {
            if (Boolean.getBoolean("metrics.record")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "# Metric names " + service + " exposes on /actuator/prometheus, recorded by its tests"
                        + " (dev.sagaplatform.testsupport.ExposedMetrics; -Dmetrics.record=true rewrites this file).\n"
                        + String.join("\n", scraped) + "\n");
                return;
            }
            if (!Files.exists(file)) {
                throw new AssertionError(file + " is missing; record it with -Dmetrics.record=true");
            }
            List<String> missing = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#") && !scraped.contains(line.strip())) {
                    missing.add(line.strip());
                }
            }
            if (!missing.isEmpty()) {
                throw new AssertionError(service + " no longer exposes " + missing + " recorded in " + file
                        + " (a dashboard or alert may use them); fix the meter or re-record with -Dmetrics.record=true."
                        + " Exposed now: " + scraped);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code monitoring/exposed-metrics/<service>.txt} at the repository root, found from the module's directory. */
    static Path recordFile(String service) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("monitoring"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no monitoring/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("monitoring/exposed-metrics").resolve(service + ".txt");
    }
}
