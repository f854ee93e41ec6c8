package dev.sagaplatform.cli.chaos.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.experiment.MetricWatch;
import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.cli.chaos.experiment.Tolerance;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget;
import dev.sagaplatform.cli.load.LoadTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Takes a probe's measurement on the target and judges it by the probe's tolerance. */
final class Probes {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The window a metric probe looks back over. */
    static final Duration METRIC_WINDOW = Duration.ofSeconds(10);

    private final ChaosTarget target;
    private final MetricSampler sampler;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    Probes(ChaosTarget target, MetricSampler sampler) {
        this.target = target;
        this.sampler = sampler;
    }

    /** What a probe saw: its value, whether the tolerance accepts it (null when it has none), and how. */
    record Result(Object value, Boolean ok, String detail) {
    }

    Result take(Activity probe) {
        try {
            return switch (probe.probe()) {
                case HTTP -> http(probe);
                case METRIC -> metric(probe);
                case SQL -> sql(probe);
                case ORDERS -> count(probe, "http://order-service/orders?size=1&status=" + probe.text("status", "").toUpperCase(Locale.ROOT));
                case SAGAS -> count(probe, "http://saga-orchestrator/sagas?size=1&state=" + probe.text("state", "").toUpperCase(Locale.ROOT));
            };
        }
        catch (Exception ex) {
            return new Result(null, probe.tolerance() == null ? null : false, ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private Result http(Activity probe) throws Exception {
        String url = probe.text("url", "");
        URI uri = target.resolve(url);
        Duration timeout = probe.durationArgument("timeout", Duration.ofSeconds(5));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(probe.text("method", "GET").toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.noBody());
        adminAuthorization(url).ifPresent(value -> builder.header("Authorization", value));
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (java.net.http.HttpTimeoutException ex) {
            return new Result("timeout", judge(probe, "timeout"), "GET " + uri + ": no answer within " + timeout.toMillis() + " ms");
        }
        catch (java.io.IOException ex) {
            return new Result("no connection", judge(probe, "no connection"), "GET " + uri + ": " + ex.getClass().getSimpleName());
        }
        String path = probe.text("json_path", null);
        if (path == null) {
            return new Result(response.statusCode(), judge(probe, response.statusCode()), "GET " + uri + " -> " + response.statusCode());
        }
        Object statuses = probe.arguments().getOrDefault("expected_status", 200.0);
        Tolerance statusOk = statuses instanceof List<?> list ? new Tolerance.OneOf(List.copyOf(list)) : new Tolerance.Equals(statuses);
        JsonNode node = JSON.readTree(response.body()).at(pointer(path));
        Object value = node.isMissingNode() ? null : node.isNumber() ? node.numberValue() : node.isBoolean() ? node.booleanValue() : node.asText();
        boolean ok = statusOk.accepts(response.statusCode()) && (probe.tolerance() == null || probe.tolerance().accepts(value));
        return new Result(value, ok, "GET " + uri + " -> " + response.statusCode() + ", " + path + " = " + value);
    }

    /**
     * The platform admin's HTTP Basic credentials, for a probe to one of the platform's own services (named, or on
     * localhost, where the local and compose targets publish them): compose and Kubernetes show health components
     * only to the admin, and a probe such as {@code $.components.circuitBreakers...} needs them. Never sent to
     * another host.
     */
    Optional<String> adminAuthorization(String url) {
        LoadTarget load = target.loadTarget();
        if (load.adminUser() == null || load.adminPassword() == null || load.adminPassword().isBlank()) {
            return Optional.empty();
        }
        String host = URI.create(url).getHost();
        boolean platform = "localhost".equals(host) || "127.0.0.1".equals(host)
                || Services.resolve(host).filter(Services::isService).isPresent();
        return platform ? Optional.of("Basic " + Base64.getEncoder().encodeToString(
                (load.adminUser() + ":" + load.adminPassword()).getBytes(StandardCharsets.UTF_8))) : Optional.empty();
    }

    /** {@code $.a.b[0]} as a JSON pointer ({@code /a/b/0}). */
    static String pointer(String jsonPath) {
        String path = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
        return path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/').replaceAll("^(?!/)", "/").replaceAll("^/$", "");
    }

    private Result metric(Activity probe) {
        MetricWatch watch = MetricWatch.parse(probe.text("expression", ""), probe.line());
        sampler.sampleNow();
        MetricSampler.Reading reading = sampler.evaluate(watch, System.nanoTime() - METRIC_WINDOW.toNanos());
        boolean ok = !Double.isNaN(reading.value()) && watch.holds(reading.value());
        return new Result(reading.value(), ok, watch.text() + ": " + reading.value() + (reading.note() == null ? "" : " (" + reading.note() + ")"));
    }

    private Result sql(Activity probe) throws Exception {
        var access = target.access().orElseThrow(() -> new IllegalStateException("the " + target.name()
                + " target gives no database access from this machine"));
        try (Connection connection = access.databases().open(probe.service())) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(10);
                try (ResultSet rows = statement.executeQuery(probe.text("query", ""))) {
                    Object value = rows.next() ? rows.getObject(1) : null;
                    connection.rollback();
                    return new Result(value, judge(probe, value), probe.service() + ": " + value);
                }
            }
        }
    }

    private Result count(Activity probe, String url) throws Exception {
        URI uri = target.resolve(url);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new Result(null, probe.tolerance() == null ? null : false, "GET " + uri + " -> " + response.statusCode());
        }
        long count = JSON.readTree(response.body()).path("page").path("totalElements").asLong();
        return new Result(count, judge(probe, count), "GET " + uri + " -> " + count);
    }

    private static Boolean judge(Activity probe, Object value) {
        return probe.tolerance() == null ? null : probe.tolerance().accepts(value);
    }
}
