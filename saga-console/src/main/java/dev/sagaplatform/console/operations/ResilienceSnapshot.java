package dev.sagaplatform.console.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Circuit breakers, bulkheads and relay lag of one service, read from its {@code /actuator/prometheus} (open on every
 * deployment, unlike health details): {@code resilience4j_circuitbreaker_state{name,state}},
 * {@code resilience4j_bulkhead_*_concurrent_calls{name}}, the relay's {@code relay_publish_lag_seconds_max{source}},
 * {@code relay_slot_confirmed_lag*{source}} and {@code relay_source_running{source}}. Plain Java: the text format
 * in, the figures out.
 */
public record ResilienceSnapshot(String service, boolean reachable, List<Breaker> breakers, List<Bulkhead> bulkheads,
                                 List<RelaySource> relaySources) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Breaker(String name, String state) {
    }

    public record Bulkhead(String name, Double available, Double max) {
    }

    /** @param lagSeconds the longest commit-to-publish lag since the last scrape window; {@code slotLagBytes} WAL not yet confirmed */
    public record RelaySource(String source, Boolean running, Double lagSeconds, Double slotLagBytes) {
    }

    public static ResilienceSnapshot unreachable(String service) {
        return new ResilienceSnapshot(service, false, List.of(), List.of(), List.of());
    }

    public static ResilienceSnapshot parse(String service, String prometheusText) {
        Map<String, String> breakerStates = new LinkedHashMap<>();
        Map<String, Double[]> bulkheads = new LinkedHashMap<>();
        Map<String, Object[]> sources = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            String metric = sample.group(1);
            Map<String, String> labels = labels(sample.group(2));
            double value;
            try {
                value = Double.parseDouble(sample.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            String name = labels.get("name");
            String source = labels.get("source");
            if (metric.equals("resilience4j_circuitbreaker_state") && name != null && value == 1.0) {
                breakerStates.put(name, labels.get("state").toUpperCase());
            } else if (metric.equals("resilience4j_circuitbreaker_state") && name != null) {
                breakerStates.putIfAbsent(name, null);
            } else if (metric.equals("resilience4j_bulkhead_available_concurrent_calls") && name != null) {
                bulkheads.computeIfAbsent(name, k -> new Double[2])[0] = value;
            } else if (metric.equals("resilience4j_bulkhead_max_allowed_concurrent_calls") && name != null) {
                bulkheads.computeIfAbsent(name, k -> new Double[2])[1] = value;
            } else if (metric.equals("relay_source_running") && source != null) {
                sources.computeIfAbsent(source, k -> new Object[3])[0] = value == 1.0;
            } else if (metric.equals("relay_publish_lag_seconds_max") && source != null) {
                sources.computeIfAbsent(source, k -> new Object[3])[1] = value;
            } else if (metric.startsWith("relay_slot_confirmed_lag") && source != null) {
                sources.computeIfAbsent(source, k -> new Object[3])[2] = value;
            }
        }
        List<Breaker> breakerList = new ArrayList<>();
        breakerStates.forEach((name, state) -> breakerList.add(new Breaker(name, state)));
        List<Bulkhead> bulkheadList = new ArrayList<>();
        bulkheads.forEach((name, figures) -> bulkheadList.add(new Bulkhead(name, figures[0], figures[1])));
        List<RelaySource> sourceList = new ArrayList<>();
        sources.forEach((source, figures) -> sourceList.add(new RelaySource(source, (Boolean) figures[0], (Double) figures[1],
                (Double) figures[2])));
        return new ResilienceSnapshot(service, true, breakerList, bulkheadList, sourceList);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher label = LABEL.matcher(text);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }
}
