package dev.sagaplatform.simulator.world;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The kinds of fault a schedule can draw; {@code --faults} names them in lower case with dashes. */
public enum Fault {

    /** Messages take from a millisecond to beyond a step timeout to be delivered. */
    DELAY,
    /** A consumer takes its partitions in any order (within a partition, Kafka's order holds). */
    REORDER,
    /** Consumers commit offsets rarely and crash after applying a message, so it is delivered again. */
    DUPLICATE,
    /** The relay loses a publish it had not committed its offset for, restarts and publishes again. */
    OUTBOX_LOSS,
    /** Any service process dies at any point between steps (its transaction rolls back) and restarts. */
    CRASH,
    /** Timers (the orchestrator's deadline poller, the choreography deadline, the gateway returns) fire early or late. */
    TIMERS,
    /** The payment gateway fails (503, reset) or answers after the client's time limit, having processed the call. */
    GATEWAY,
    /** Two concurrent POST /orders with the same Idempotency-Key. */
    DUPLICATE_POST,
    /**
     * order-service's calls at placement (payment-service's customer check, inventory-service's prices) fail: the
     * request releases its Idempotency-Key, the client gets a 503 and tries again.
     */
    DEPENDENCIES;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code delay,crash} or {@code all} or {@code none}. */
    public static Set<Fault> parse(String names) {
        String trimmed = names.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("all")) {
            return EnumSet.allOf(Fault.class);
        }
        if (trimmed.equals("none") || trimmed.isEmpty()) {
            return EnumSet.noneOf(Fault.class);
        }
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        for (String name : trimmed.split(",")) {
            faults.add(Arrays.stream(values()).filter(f -> f.cliName().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + name.trim() + "'; known: all, none, "
                            + Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", ")))));
        }
        return faults;
    }

    public static String names(Set<Fault> faults) {
        return faults.isEmpty() ? "none" : faults.stream().map(Fault::cliName).collect(Collectors.joining(","));
    }
}
