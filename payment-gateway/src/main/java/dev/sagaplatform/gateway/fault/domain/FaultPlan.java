package dev.sagaplatform.gateway.fault.domain;

import java.util.random.RandomGenerator;

/** What happens to one request, drawn from the settings in force when it arrived. */
public record FaultPlan(long delayMs, Action action) {

    public enum Action {
        PROCEED,
        FAIL_BEFORE_PROCESSING,
        FAIL_AFTER_PROCESSING,
        RESET_CONNECTION
    }

    private static final int EXPONENTIAL_CUT_OFF = 10;

    public static FaultPlan draw(FaultSettings settings, RandomGenerator random) {
        return new FaultPlan(delay(settings, random), action(settings, random));
    }

    private static long delay(FaultSettings settings, RandomGenerator random) {
        long jitter = settings.latencyJitterMs();
        if (jitter == 0) {
            return settings.latencyMs();
        }
        long extra = switch (settings.latencyDistribution()) {
            case FIXED -> 0;
            case UNIFORM -> random.nextLong(jitter + 1);
            // Inverse transform sampling; 1 - u keeps the logarithm's argument in (0, 1].
            case EXPONENTIAL -> Math.min(Math.round(-Math.log(1.0 - random.nextDouble()) * jitter), EXPONENTIAL_CUT_OFF * jitter);
        };
        return settings.latencyMs() + extra;
    }

    private static Action action(FaultSettings settings, RandomGenerator random) {
        if (settings.reset()) {
            return Action.RESET_CONNECTION;
        }
        if (hit(settings.errorRate(), random)) {
            return Action.FAIL_BEFORE_PROCESSING;
        }
        if (hit(settings.errorAfterProcessingRate(), random)) {
            return Action.FAIL_AFTER_PROCESSING;
        }
        return Action.PROCEED;
    }

    /** nextDouble is in [0, 1), so a rate of 1.0 always hits and 0.0 never does. */
    private static boolean hit(double rate, RandomGenerator random) {
        return rate > 0.0 && random.nextDouble() < rate;
    }
}
