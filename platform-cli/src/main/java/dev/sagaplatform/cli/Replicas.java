package dev.sagaplatform.cli;

import dev.sagaplatform.contracts.Topics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How many processes of each service the local platform runs ({@code ./platform up --replicas}). Every service but the
 * payment-gateway may run several; PostgreSQL, Kafka, the fault proxy, Zipkin and the gateway stay single. At most
 * {@link Topics#PARTITIONS} per service: the instances of a service form one consumer group, and a group never gives
 * more members than partitions something to read.
 */
record Replicas(Map<Component, Integer> counts) {

    /** One process of everything: the platform as it has always been. */
    static final Replicas SINGLE = new Replicas(Map.of());

    Replicas {
        counts = Collections.unmodifiableMap(counts.isEmpty() ? new EnumMap<>(Component.class) : new EnumMap<>(counts));
    }

    static int max() {
        return Topics.PARTITIONS;
    }

    /** Whether {@code --replicas} may name the component. */
    static boolean replicable(Component component) {
        return component.isService() && component != Component.PAYMENT_GATEWAY;
    }

    static List<Component> replicableComponents() {
        return java.util.Arrays.stream(Component.values()).filter(Replicas::replicable).toList();
    }

    int count(Component component) {
        return counts.getOrDefault(component, 1);
    }

    List<Instance> instances(Component component) {
        return IntStream.rangeClosed(1, count(component)).mapToObj(ordinal -> new Instance(component, ordinal)).toList();
    }

    /** This spec applied over these counts: a later {@code up}'s {@code --replicas} over what the run folder remembers. */
    Replicas with(Replicas changes) {
        Map<Component, Integer> merged = new EnumMap<>(Component.class);
        merged.putAll(counts);
        merged.putAll(changes.counts);
        return new Replicas(merged);
    }

    /**
     * Reads {@code --replicas}: a number for every replicable service ({@code 2}), per service counts
     * ({@code order-service=3,payment-service=2}), or both, the number first as the default and the named ones
     * overriding it ({@code 2,order-service=3}). Only the services it names (all of them for a bare number) are in the
     * result, so the others keep what the run folder remembers.
     *
     * @throws CliException with the valid names and range, for anything else
     */
    static Replicas parse(String spec) {
        Map<Component, Integer> counts = new EnumMap<>(Component.class);
        Map<Component, Integer> named = new EnumMap<>(Component.class);
        if (spec == null || spec.isBlank()) {
            throw problem(spec, "give a number or service=number pairs");
        }
        boolean defaultGiven = false;
        for (String part : spec.split(",")) {
            String item = part.trim();
            int equals = item.indexOf('=');
            if (equals < 0) {
                if (defaultGiven) {
                    throw problem(spec, "one number for every service at most");
                }
                defaultGiven = true;
                int count = count(spec, item);
                replicableComponents().forEach(component -> counts.putIfAbsent(component, count));
                continue;
            }
            String name = item.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            Component component = java.util.Arrays.stream(Component.values()).filter(c -> c.id().equals(name)).findFirst()
                    .orElseThrow(() -> problem(spec, "no service '" + name + "'"));
            if (!replicable(component)) {
                throw problem(spec, component.id() + " always runs as one process");
            }
            if (named.put(component, count(spec, item.substring(equals + 1).trim())) != null) {
                throw problem(spec, component.id() + " is named twice");
            }
        }
        counts.putAll(named);
        return new Replicas(counts);
    }

    /** A count kept in the run folder ({@code replicas.<service>=N}), held to the same range as the flag's. */
    static int stored(Component component, String text) {
        return count(component.id() + "=" + text + " (kept in the run folder's platform.properties)", text.trim());
    }

    private static int count(String spec, String text) {
        int count;
        try {
            count = Integer.parseInt(text);
        }
        catch (NumberFormatException ex) {
            throw problem(spec, "'" + text + "' is not a whole number");
        }
        if (count < 1 || count > max()) {
            throw problem(spec, count + " is out of range: 1 to " + max() + " (a topic has " + max()
                    + " partitions, and a consumer group gives no more members than that anything to read)");
        }
        return count;
    }

    private static CliException problem(String spec, String what) {
        List<String> names = new ArrayList<>(replicableComponents().stream().map(Component::id).toList());
        return new CliException("--replicas " + spec + ": " + what + ". Give N (every service) or SERVICE=N pairs, e.g. --replicas 2"
                + " or --replicas order-service=3,payment-service=2, with N from 1 to " + max() + " and SERVICE one of "
                + String.join(", ", names) + " (postgres, kafka, fault-proxy, zipkin and payment-gateway run once).");
    }

    /** {@code order-service=2, payment-service=1, ...}: every replicable service. */
    String describe() {
        return String.join(", ", replicableComponents().stream().map(c -> c.id() + "=" + count(c)).toList());
    }
}
