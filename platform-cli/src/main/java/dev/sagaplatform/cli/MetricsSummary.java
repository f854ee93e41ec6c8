package dev.sagaplatform.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service's saga figures as {@code ./platform status} prints them, read from its {@code /actuator/prometheus}: sagas
 * in flight ({@code orders_pending} in order-service, non-terminal {@code saga_instances} in the orchestrator), parked ones
 * ({@code saga_stuck}), dead letters since start ({@code messaging_dead_letters_total}) and each circuit breaker's state
 * ({@code resilience4j_circuitbreaker_state}). A figure the service does not have is {@code null} and prints as "-".
 */
record MetricsSummary(Double inFlight, Double stuck, Double deadLetters, Map<String, String> breakers) {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Reads a Prometheus text exposition; samples it does not know are ignored. */
    static MetricsSummary parse(String exposition) {
        Double pending = null;
        Double live = null;
        Double stuck = null;
        Double deadLetters = null;
        Map<String, String> breakers = new LinkedHashMap<>();
        Matcher sample = SAMPLE.matcher(exposition);
        while (sample.find()) {
            String name = sample.group(1);
            Map<String, String> labels = labels(sample.group(2));
            double value;
            try {
                value = Double.parseDouble(sample.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isNaN(value)) {
                continue; // a gauge whose database was away during the scrape
            }
            switch (name) {
                case "orders_pending" -> pending = add(pending, value);
                case "saga_instances" -> {
                    if (!"STUCK".equals(labels.get("state"))) {
                        live = add(live, value);
                    }
                }
                case "saga_stuck" -> stuck = add(stuck, value);
                case "messaging_dead_letters_total" -> deadLetters = add(deadLetters, value);
                case "resilience4j_circuitbreaker_state" -> {
                    if (value == 1.0 && labels.containsKey("name")) {
                        breakers.put(labels.get("name"), labels.getOrDefault("state", "?"));
                    }
                }
                default -> {
                }
            }
        }
        return new MetricsSummary(pending != null ? pending : live, stuck, deadLetters, breakers);
    }

    /** What the service at {@code port} says now, or why nothing: a service that is down is a line, not an error. */
    static String describe(HttpClient http, int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "metrics: HTTP " + response.statusCode();
            }
            return parse(response.body()).format();
        } catch (IOException e) {
            return "metrics: no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "metrics: no answer";
        }
    }

    /** {@code in flight 3 · stuck 0 · dead letters 1 · breakers inventory-service closed, payment-service OPEN}. */
    String format() {
        List<String> states = new ArrayList<>();
        breakers.forEach((name, state) -> states.add(name + " " + ("closed".equals(state) ? state : state.toUpperCase(Locale.ROOT))));
        return "in flight " + number(inFlight) + " · stuck " + number(stuck) + " · dead letters " + number(deadLetters)
                + " · breakers " + (states.isEmpty() ? "-" : String.join(", ", states));
    }

    private static String number(Double value) {
        return value == null ? "-" : String.valueOf(Math.round(value));
    }

    private static Double add(Double sum, double value) {
        return sum == null ? value : sum + value;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            Matcher label = LABEL.matcher(text);
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        return labels;
    }
}
