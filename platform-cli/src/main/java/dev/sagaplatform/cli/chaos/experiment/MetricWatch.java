package dev.sagaplatform.cli.chaos.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A limit on one of the platform's own metrics over the whole experiment, as engineers write it:
 * {@code error_rate < 1%}, {@code p99_latency < 500ms}, {@code payment-service.error_rate <= 0.05},
 * {@code write_success_ratio(order-service) > 99%}, {@code dead_letters == 0}, or a Prometheus series
 * such as {@code resilience4j_circuitbreaker_state{name="payment-gateway",state="open"} == 0}.
 * Ratios are fractions (1% = 0.01), latencies milliseconds, counts plain numbers.
 *
 * @param metric     the recognised metric
 * @param percentile for latencies, e.g. 0.99
 * @param service    whose metrics (null: the metric's default, or every service for a Prometheus series)
 * @param series     for {@link Metric#PROMETHEUS}: the series name and label matchers as written
 */
public record MetricWatch(String text, Metric metric, double percentile, String service, String series, String operator,
                          double threshold, int line) {

    /** The metrics a watch can name, each from the services' {@code /actuator/prometheus} sampled over the run. */
    public enum Metric {
        ERROR_RATE("error_rate", "share of HTTP requests answered 5xx (default service: order-service)", Unit.RATIO),
        SUCCESS_RATIO("success_ratio", "share of HTTP requests not answered 5xx", Unit.RATIO),
        READ_SUCCESS_RATIO("read_success_ratio", "share of GET requests not answered 5xx", Unit.RATIO),
        WRITE_SUCCESS_RATIO("write_success_ratio", "share of POST/PUT/PATCH/DELETE requests not answered 5xx", Unit.RATIO),
        LATENCY("p99_latency", "HTTP server latency percentile (p50/p90/p95/p99/p999_latency), in ms", Unit.MILLIS),
        TIMED_OUT_ORDERS("timed_out_orders", "orders rejected TIMED_OUT during the run", Unit.COUNT),
        REJECTED_ORDERS("rejected_orders", "orders rejected for any reason during the run", Unit.COUNT),
        APPROVED_ORDERS("approved_orders", "orders approved during the run", Unit.COUNT),
        REFUSED_ORDERS("refused_orders", "orders refused at the door (503 at capacity) during the run", Unit.COUNT),
        DEAD_LETTERS("dead_letters", "messages written to dead-letter topics during the run", Unit.COUNT),
        BREAKER_OPEN("breaker_open", "1 if the service's circuit breaker was seen open, else 0", Unit.COUNT),
        RELAY_LAG("relay_lag", "largest outbox-to-Kafka publish lag the relay reported, in ms", Unit.MILLIS),
        PROMETHEUS("<prometheus series>", "a series by name: its increase for counters (_total, _count, _sum), else its largest"
                + " sampled value", Unit.COUNT);

        private final String id;
        private final String describe;
        private final Unit unit;

        Metric(String id, String describe, Unit unit) {
            this.id = id;
            this.describe = describe;
            this.unit = unit;
        }

        public String id() {
            return id;
        }

        public String describe() {
            return describe;
        }

        public Unit unit() {
            return unit;
        }
    }

    public enum Unit {
        RATIO, MILLIS, COUNT
    }

    private static final Pattern FORM = Pattern.compile("\\s*(?:(?<service>[a-z][a-z0-9-]*-[a-z0-9-]+|[a-z]+)[.:])?"
            + "(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<labels>\\{[^}]*})?(?:\\((?<arg>[^)]*)\\))?"
            + "\\s*(?<op><=|>=|==|!=|<|>|=)\\s*(?<number>-?\\d+(?:\\.\\d+)?)\\s*(?<unit>%|ms|s|sec|seconds)?\\s*");

    private static final Map<String, Metric> NAMES = names();

    /** Prefixes of the series the services export; a name with none of them is a typo, not a series. */
    private static final List<String> SERIES_PREFIXES = List.of("http_server_requests", "http_client_requests", "resilience4j_",
            "orders_", "relay_", "inventory_", "gateway_", "payments_", "kafka_", "spring_kafka_", "jvm_", "process_", "hikaricp_",
            "jdbc_", "tomcat_", "executor_", "system_", "disk_", "application_", "logback_", "saga_", "sagas_");

    private static Map<String, Metric> names() {
        Map<String, Metric> names = new LinkedHashMap<>();
        for (String name : List.of("error_rate", "errors", "error_ratio", "http_error_rate", "5xx_rate", "failure_rate", "fail_rate")) {
            names.put(name, Metric.ERROR_RATE);
        }
        for (String name : List.of("success_ratio", "success_rate", "availability", "http_success_rate", "success")) {
            names.put(name, Metric.SUCCESS_RATIO);
        }
        for (String name : List.of("read_success_ratio", "read_success_rate", "reads_success_ratio", "read_availability")) {
            names.put(name, Metric.READ_SUCCESS_RATIO);
        }
        for (String name : List.of("write_success_ratio", "write_success_rate", "writes_success_ratio", "write_availability")) {
            names.put(name, Metric.WRITE_SUCCESS_RATIO);
        }
        for (String name : List.of("timed_out_orders", "timeouts", "timed_out")) {
            names.put(name, Metric.TIMED_OUT_ORDERS);
        }
        names.put("rejected_orders", Metric.REJECTED_ORDERS);
        names.put("approved_orders", Metric.APPROVED_ORDERS);
        names.put("refused_orders", Metric.REFUSED_ORDERS);
        for (String name : List.of("dead_letters", "dlt_count", "dead_letter_count", "dlq_count", "dlq_depth", "dead_lettered")) {
            names.put(name, Metric.DEAD_LETTERS);
        }
        for (String name : List.of("breaker_open", "circuit_breaker_open", "breaker_opened", "circuit_open")) {
            names.put(name, Metric.BREAKER_OPEN);
        }
        for (String name : List.of("relay_lag", "outbox_lag", "relay_lag_max", "publish_lag")) {
            names.put(name, Metric.RELAY_LAG);
        }
        return names;
    }

    private static final Pattern LATENCY = Pattern.compile("(?:(?:http_)?p(?<p1>\\d+)_(?:latency|response_time|duration)"
            + "|(?:latency|response_time|duration)_p(?<p2>\\d+)|p(?<p3>\\d+))");

    /**
     * @throws IllegalArgumentException naming what is wrong and listing what can be evaluated
     */
    public static MetricWatch parse(String text, int line) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a metric expression: write <metric> <op> <number>[%|ms|s], e.g."
                    + " \"error_rate < 1%\" or \"p99_latency < 500ms\". " + catalogue());
        }
        String service = matcher.group("service") != null ? matcher.group("service") : blankToNull(matcher.group("arg"));
        String resolvedService = null;
        if (service != null) {
            resolvedService = Services.resolve(service).orElseThrow(() -> new IllegalArgumentException("'" + text + "': no service "
                    + service + " on this platform; services: " + String.join(", ", Services.ALL)));
        }
        String name = matcher.group("name").toLowerCase(Locale.ROOT);
        String operator = "=".equals(matcher.group("op")) ? "==" : matcher.group("op");
        double number = Double.parseDouble(matcher.group("number"));
        String unit = matcher.group("unit");
        Metric metric = NAMES.get(name);
        double percentile = 0;
        Matcher latency = LATENCY.matcher(name);
        if (metric == null && latency.matches()) {
            metric = Metric.LATENCY;
            String digits = latency.group("p1") != null ? latency.group("p1") : latency.group("p2") != null ? latency.group("p2") : latency.group("p3");
            // p5 is the 5th percentile, p50 the 50th, p99 the 99th, p999 the 99.9th.
            percentile = digits.length() == 1 ? Integer.parseInt(digits) / 100.0 : Double.parseDouble("0." + digits);
        }
        else if (metric == null && name.equals("latency")) {
            metric = Metric.LATENCY;
            percentile = 0.99;
        }
        String series = null;
        if (metric == null) {
            String finalName = name;
            if (SERIES_PREFIXES.stream().noneMatch(finalName::startsWith)) {
                throw new IllegalArgumentException("'" + text + "': cannot evaluate '" + matcher.group("name") + "'. " + catalogue());
            }
            metric = Metric.PROMETHEUS;
            series = matcher.group("name") + (matcher.group("labels") == null ? "" : matcher.group("labels"));
        }
        else if (matcher.group("labels") != null) {
            throw new IllegalArgumentException("'" + text + "': " + metric.id() + " takes no {labels}; name the service instead, e.g. "
                    + metric.id() + "(payment-service)");
        }
        double threshold = switch (metric.unit()) {
            case RATIO -> {
                if (unit != null && !unit.equals("%")) {
                    throw new IllegalArgumentException("'" + text + "': " + metric.id() + " is a ratio: write 1% or 0.01");
                }
                double ratio = "%".equals(unit) ? number / 100 : number;
                if (ratio < 0 || ratio > 1) {
                    throw new IllegalArgumentException("'" + text + "': a ratio is between 0 and 1 (0% and 100%)");
                }
                yield ratio;
            }
            case MILLIS -> {
                if ("%".equals(unit)) {
                    throw new IllegalArgumentException("'" + text + "': " + metric.id() + " is a time: write 500ms or 0.5s");
                }
                yield unit == null || unit.equals("ms") ? number : number * 1000;
            }
            case COUNT -> {
                if (unit != null) {
                    throw new IllegalArgumentException("'" + text + "': " + metric.id() + " is a count: write a plain number");
                }
                yield number;
            }
        };
        return new MetricWatch(text.trim(), metric, percentile, resolvedService, series, operator, threshold, line);
    }

    public boolean holds(double value) {
        return switch (operator) {
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "!=" -> value != threshold;
            default -> value == threshold;
        };
    }

    /** The metrics that can be evaluated, for error messages and {@code chaos list}. */
    public static String catalogue() {
        StringBuilder text = new StringBuilder("Metrics it can evaluate: ");
        for (Metric metric : Metric.values()) {
            text.append(metric == Metric.values()[0] ? "" : "; ").append(metric.id()).append(" (").append(metric.describe()).append(')');
        }
        return text.append(". Name a service as error_rate(payment-service) or payment-service.error_rate.").toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
