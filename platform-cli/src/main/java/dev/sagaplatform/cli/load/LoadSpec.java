package dev.sagaplatform.cli.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ./platform load} offers: a fixed arrival schedule (order {@code i} is due at
 * {@code i / rate} seconds after the start), which customer, SKUs and flow each order uses, and how
 * long to wait for the last sagas. Everything is a pure function of the index, so a run is repeatable
 * and tests can check the schedule without a platform.
 */
public record LoadSpec(double rate, Duration duration, FlowMix flow, int customers, int skus, int lines, Duration settle) {

    public static final double MAX_RATE = 5_000;
    public static final Duration MAX_DURATION = Duration.ofHours(2);

    /** The flow each order names; {@code MIXED} alternates, so both flows get the same share. */
    public enum FlowMix {
        CHOREOGRAPHY, ORCHESTRATION, MIXED;

        String flowOf(long index) {
            return switch (this) {
                case CHOREOGRAPHY, ORCHESTRATION -> name();
                case MIXED -> index % 2 == 0 ? CHOREOGRAPHY.name() : ORCHESTRATION.name();
            };
        }

        public static FlowMix parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--flow " + text + ": CHOREOGRAPHY, ORCHESTRATION or MIXED");
            }
        }
    }

    public LoadSpec {
        List<String> problems = new ArrayList<>();
        if (!(rate > 0) || rate > MAX_RATE || Double.isNaN(rate)) {
            problems.add("--rate " + rate + ": orders per second, more than 0 and at most " + (int) MAX_RATE);
        }
        if (duration == null || duration.compareTo(Duration.ofMillis(100)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            problems.add("--duration " + text(duration) + ": from 100ms to 2h, e.g. 60s or 5m");
        }
        if (customers < 1 || customers > 10_000) {
            problems.add("--customers " + customers + ": from 1 to 10000");
        }
        if (skus < 1 || skus > 10_000) {
            problems.add("--skus " + skus + ": from 1 to 10000");
        }
        if (lines < 1 || lines > 100) {
            problems.add("--lines " + lines + ": order lines per order, from 1 to 100 (the order API's limit)");
        } else if (lines > skus) {
            problems.add("--lines " + lines + " needs at least as many --skus (" + skus + "): an order names each SKU once");
        }
        if (settle == null || settle.isNegative() || settle.compareTo(Duration.ofMinutes(30)) > 0) {
            problems.add("--settle " + text(settle) + ": from 0s to 30m");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** Orders the run sends: every due time strictly before the end of the duration. */
    public long total() {
        return total(rate, duration);
    }

    private static long total(double rate, Duration duration) {
        return (long) Math.ceil(rate * duration.toNanos() / 1e9 - 1e-9);
    }

    /** When order {@code index} is due, in nanoseconds after the start of the run. */
    public long dueNanos(long index) {
        return Math.round(index * 1e9 / rate);
    }

    public String customerOf(long index) {
        return customerId((int) (index % customers));
    }

    /** {@code lines} distinct SKUs, rotating through the catalogue so every SKU gets the same share. */
    public List<String> skusOf(long index) {
        List<String> chosen = new ArrayList<>(lines);
        for (int line = 0; line < lines; line++) {
            chosen.add(sku((int) ((index * lines + line) % skus)));
        }
        return chosen;
    }

    public String flowOf(long index) {
        return flow.flowOf(index);
    }

    /** The load's own customers, kept apart from the demo's seed data by their names. */
    public static String customerId(int number) {
        return String.format(Locale.ROOT, "load-customer-%04d", number + 1);
    }

    public static String sku(int number) {
        return String.format(Locale.ROOT, "LOAD-SKU-%04d", number + 1);
    }

    /** {@code 60s}, {@code 5m}, {@code 250ms}, {@code 1h}, or plain seconds. */
    public static Duration parseDuration(String text, String flag) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.replaceAll("[smh]$", ""));
            return switch (value.charAt(value.length() - 1)) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(flag + " " + text + ": a duration such as 60s, 5m, 250ms or 1h");
        }
    }

    private static String text(Duration duration) {
        return duration == null ? "(none)" : duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
