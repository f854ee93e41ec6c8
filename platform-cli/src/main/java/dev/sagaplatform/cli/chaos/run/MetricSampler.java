package dev.sagaplatform.cli.chaos.run;

import dev.sagaplatform.cli.chaos.experiment.MetricWatch;
import dev.sagaplatform.cli.chaos.experiment.Services;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes every service's {@code /actuator/prometheus} every two seconds for the whole experiment and
 * evaluates metric expressions over what it saw: counters as their increase (a restart's reset counted
 * as Prometheus's {@code increase()} does), gauges as the largest value sampled. A service that does not
 * answer a scrape (killed, paused) simply has no sample then.
 */
public final class MetricSampler implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+).*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One scrape of one service: series (name plus labels) to value. */
    record Scrape(long nanos, String service, Map<Series, Double> values) {
    }

    record Series(String name, Map<String, String> labels) {
    }

    private final Map<String, URI> endpoints;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /**
     * Scrapes as they are kept: per service, each series is named once and a scrape is an array of values in that
     * order. A scrape is some 900 series per service every 2 s; kept as maps of their own, a few minutes of them filled
     * the CLI's heap (a 5-minute experiment ran out of memory). Analysis reads them through a map view, copying nothing.
     */
    private final List<Scrape> scrapes = new CopyOnWriteArrayList<>();
    private final Map<String, List<Series>> seriesOfService = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<Series, Integer>> indexOfService = new java.util.concurrent.ConcurrentHashMap<>();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "chaos-metrics");
        thread.setDaemon(true);
        return thread;
    });

    public MetricSampler(Map<String, URI> endpoints) {
        this.endpoints = Map.copyOf(endpoints);
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::scrapeAll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds a scrape taken elsewhere (tests feed recorded scrapes). */
    void add(Scrape scrape) {
        scrapes.add(compact(scrape));
    }

    private synchronized Scrape compact(Scrape scrape) {
        List<Series> names = seriesOfService.computeIfAbsent(scrape.service(), s -> new CopyOnWriteArrayList<>());
        Map<Series, Integer> index = indexOfService.computeIfAbsent(scrape.service(), s -> new HashMap<>());
        for (Series series : scrape.values().keySet()) {
            index.computeIfAbsent(series, s -> {
                names.add(s);
                return names.size() - 1;
            });
        }
        double[] values = new double[names.size()];
        java.util.Arrays.fill(values, Double.NaN);
        scrape.values().forEach((series, value) -> values[index.get(series)] = value);
        return new Scrape(scrape.nanos(), scrape.service(), new CompactValues(names, values));
    }

    /** A scrape's values over its service's series names; a series the scrape did not have (NaN) is absent. */
    private static final class CompactValues extends java.util.AbstractMap<Series, Double> {
        private final List<Series> names;
        private final double[] values;

        CompactValues(List<Series> names, double[] values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public java.util.Set<Entry<Series, Double>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Entry<Series, Double>> iterator() {
                    return java.util.stream.IntStream.range(0, values.length).filter(i -> !Double.isNaN(values[i]))
                            .mapToObj(i -> (Entry<Series, Double>) new SimpleImmutableEntry<>(names.get(i), values[i])).iterator();
                }

                @Override
                public int size() {
                    return (int) java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
                }
            };
        }
    }

    /** Takes one more sample of every service now (the first and last samples bound the experiment). */
    public void sampleNow() {
        scrapeAll();
    }

    private void scrapeAll() {
        for (var endpoint : endpoints.entrySet()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.getValue()).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    add(new Scrape(System.nanoTime(), endpoint.getKey(), parse(response.body())));
                }
            }
            catch (IOException ex) {
                // down or paused: no sample this time
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Map<Series, Double> parse(String text) {
        Map<Series, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(2) != null) {
                Matcher label = LABEL.matcher(matcher.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            try {
                values.put(new Series(matcher.group(1), labels), Double.parseDouble(matcher.group(3)));
            }
            catch (NumberFormatException ex) {
                // NaN written differently, or a value we do not need
            }
        }
        return values;
    }

    /** A watch's value over the samples taken since {@code sinceNanos}, with a note when there was nothing to measure. */
    public record Reading(double value, String note) {
    }

    public Reading evaluate(MetricWatch watch, long sinceNanos) {
        List<Scrape> window = scrapes.stream().filter(s -> s.nanos() >= sinceNanos).toList();
        String service = watch.service();
        return switch (watch.metric()) {
            case ERROR_RATE -> ratio(window, or(service, Services.ORDER), s -> true, true);
            case SUCCESS_RATIO -> ratio(window, or(service, Services.ORDER), s -> true, false);
            case READ_SUCCESS_RATIO -> ratio(window, or(service, Services.ORDER), s -> "GET".equals(s.labels.get("method")), false);
            case WRITE_SUCCESS_RATIO -> ratio(window, or(service, Services.ORDER), s -> !"GET".equals(s.labels.get("method"))
                    && !"HEAD".equals(s.labels.get("method")), false);
            case LATENCY -> latency(window, or(service, Services.ORDER), watch.percentile());
            case TIMED_OUT_ORDERS -> new Reading(increase(window, Services.ORDER, s -> s.name.equals("orders_rejected_total")
                    && "TIMED_OUT".equals(s.labels.get("reason"))), null);
            case REJECTED_ORDERS -> new Reading(increase(window, Services.ORDER, s -> s.name.equals("orders_rejected_total")), null);
            case APPROVED_ORDERS -> new Reading(increase(window, Services.ORDER, s -> s.name.equals("orders_approved_total")), null);
            case REFUSED_ORDERS -> new Reading(increase(window, Services.ORDER, s -> s.name.equals("orders_admission_refused_total")), null);
            case BREAKER_OPEN -> new Reading(max(window, service, s -> s.name.equals("resilience4j_circuitbreaker_state")
                    && "open".equals(s.labels.get("state"))) > 0 ? 1 : 0, null);
            case RELAY_LAG -> new Reading(max(window, Services.RELAY, s -> s.name.equals("relay_publish_lag_seconds_max")) * 1000, null);
            case PROMETHEUS -> prometheus(window, service, watch.series());
            case DEAD_LETTERS -> throw new IllegalArgumentException("dead letters are counted from the topics, not sampled");
        };
    }

    private static String or(String service, String fallback) {
        return service != null ? service : fallback;
    }

    /** HTTP server requests of one service, the actuator's own excluded. */
    private static boolean served(Series series) {
        return series.name.equals("http_server_requests_seconds_count") && !series.labels.getOrDefault("uri", "").startsWith("/actuator");
    }

    private Reading ratio(List<Scrape> window, String service, Predicate<Series> which, boolean errors) {
        double all = increase(window, service, s -> served(s) && which.test(s));
        double failed = increase(window, service, s -> served(s) && which.test(s) && s.labels.getOrDefault("status", "").startsWith("5"));
        if (all == 0) {
            return new Reading(errors ? 0 : 1, "no requests to " + service + " in the window");
        }
        return new Reading(errors ? failed / all : 1 - failed / all, String.format(Locale.ROOT, "%.0f of %.0f requests answered 5xx", failed, all));
    }

    private Reading latency(List<Scrape> window, String service, double percentile) {
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        for (Series series : seriesOf(window, service)) {
            if (series.name.equals("http_server_requests_seconds_bucket") && !series.labels.getOrDefault("uri", "").startsWith("/actuator")) {
                double le = "+Inf".equals(series.labels.get("le")) ? Double.POSITIVE_INFINITY : Double.parseDouble(series.labels.get("le"));
                buckets.merge(le, increase(window, service, series::equals), Double::sum);
            }
        }
        double total = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (buckets.isEmpty()) {
            return new Reading(Double.NaN, service + " exports no latency histogram (management.metrics.distribution.percentiles-histogram"
                    + ".http.server.requests)");
        }
        if (total == 0) {
            return new Reading(0, "no requests to " + service + " in the window");
        }
        for (var bucket : buckets.entrySet()) {
            if (bucket.getValue() >= percentile * total) {
                return new Reading(bucket.getKey() * 1000, String.format(Locale.ROOT, "histogram bucket bound; %.0f requests", total));
            }
        }
        return new Reading(Double.POSITIVE_INFINITY, "beyond the largest bucket");
    }

    private Reading prometheus(List<Scrape> window, String service, String written) {
        Matcher matcher = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?").matcher(written);
        if (!matcher.matches()) {
            return new Reading(Double.NaN, "not a series: " + written);
        }
        String name = matcher.group(1);
        Map<String, String> wanted = new HashMap<>();
        if (matcher.group(2) != null) {
            Matcher label = LABEL.matcher(matcher.group(2));
            while (label.find()) {
                wanted.put(label.group(1), label.group(2));
            }
        }
        Predicate<Series> which = s -> s.name.equals(name) && wanted.entrySet().stream()
                .allMatch(e -> e.getValue().equals(s.labels.get(e.getKey())));
        boolean counter = name.endsWith("_total") || name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket");
        // Without a service: every service (and every instance), counters added, gauges at their largest.
        double value = counter ? increase(window, service, which) : max(window, service, which);
        boolean seen = window.stream().anyMatch(s -> isInstanceOf(s.service, service) && s.values.keySet().stream().anyMatch(which));
        return seen ? new Reading(value, counter ? "increase" : "largest sampled value")
                : new Reading(Double.NaN, "no such series was exported: check its name on /actuator/prometheus");
    }

    private static List<Series> seriesOf(List<Scrape> window, String service) {
        return window.stream().filter(s -> isInstanceOf(s.service, service)).flatMap(s -> s.values.keySet().stream()).distinct().toList();
    }

    /**
     * Whether scrapes named {@code scraped} are of {@code service}: the service itself or one of its further instances
     * ({@code order-service-2}, a local platform started with {@code --replicas}); every service when null.
     */
    static boolean isInstanceOf(String scraped, String service) {
        return service == null || scraped.equals(service)
                || scraped.length() > service.length() + 1 && scraped.startsWith(service + "-") && scraped.substring(service.length() + 1).matches("\\d+");
    }

    /**
     * Σ over matching series of their increase between consecutive samples; a drop is a restart, counted from zero. Each
     * instance of the service is followed on its own (their counters are separate) and their increases added.
     */
    static double increase(List<Scrape> window, String service, Predicate<Series> which) {
        Map<String, Map<Series, Double>> previousOfInstance = new HashMap<>();
        double increase = 0;
        for (Scrape scrape : window) {
            if (!isInstanceOf(scrape.service, service)) {
                continue;
            }
            boolean first = !previousOfInstance.containsKey(scrape.service);
            Map<Series, Double> previous = previousOfInstance.computeIfAbsent(scrape.service, key -> new HashMap<>());
            for (var entry : scrape.values.entrySet()) {
                if (!which.test(entry.getKey())) {
                    continue;
                }
                Double before = previous.put(entry.getKey(), entry.getValue());
                if (before != null) {
                    increase += entry.getValue() >= before ? entry.getValue() - before : entry.getValue();
                }
                else if (!first) {
                    increase += entry.getValue(); // a series born since the last scrape (the first 503, say) started at zero
                }
            }
        }
        return increase;
    }

    private static double max(List<Scrape> window, String service, Predicate<Series> which) {
        double max = 0;
        for (Scrape scrape : window) {
            if (!isInstanceOf(scrape.service, service)) {
                continue;
            }
            Map<String, Double> sums = new HashMap<>();
            scrape.values.forEach((series, value) -> {
                if (which.test(series) && !value.isNaN()) {
                    sums.merge(scrape.service, value, Double::sum);
                }
            });
            for (double value : sums.values()) {
                max = Math.max(max, value);
            }
        }
        return max;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
