package dev.sagaplatform.gateway.fault.domain;

import java.util.Objects;

/**
 * The faults the gateway injects into every charge and refund request.
 *
 * @param errorRate probability of answering 503 without processing
 * @param errorAfterProcessingRate probability of processing (committed) and then answering 503 anyway
 * @param latencyMs delay before any request is looked at
 * @param latencyJitterMs scale of the random extra delay, see {@link LatencyDistribution}
 * @param hang hold every request until hang is switched off (bounded by the gateway's maximum hang)
 * @param reset close the connection without any answer
 * @param refuseRefunds answer every refund (and void) with a 422 problem, as a processor refuses a refund it will
 *                      not make (a disputed charge, a closed account): the caller must not retry, an operator must act
 */
public record FaultSettings(
        double errorRate,
        double errorAfterProcessingRate,
        long latencyMs,
        long latencyJitterMs,
        LatencyDistribution latencyDistribution,
        boolean hang,
        boolean reset,
        boolean refuseRefunds) {

    /** Longer waits than this are better expressed as {@code hang}; the bound keeps request threads recoverable. */
    public static final long MAX_LATENCY_MS = 300_000;

    public static final FaultSettings HEALTHY = new FaultSettings(0.0, 0.0, 0, 0, LatencyDistribution.UNIFORM, false, false, false);

    public FaultSettings {
        requireProbability("errorRate", errorRate);
        requireProbability("errorAfterProcessingRate", errorAfterProcessingRate);
        requireLatency("latencyMs", latencyMs);
        requireLatency("latencyJitterMs", latencyJitterMs);
        Objects.requireNonNull(latencyDistribution, "latencyDistribution");
    }

    /** Fields the update leaves null keep their current value. */
    public FaultSettings with(FaultUpdate update) {
        return new FaultSettings(
                update.errorRate() != null ? update.errorRate() : errorRate,
                update.errorAfterProcessingRate() != null ? update.errorAfterProcessingRate() : errorAfterProcessingRate,
                update.latencyMs() != null ? update.latencyMs() : latencyMs,
                update.latencyJitterMs() != null ? update.latencyJitterMs() : latencyJitterMs,
                update.latencyDistribution() != null ? update.latencyDistribution() : latencyDistribution,
                update.hang() != null ? update.hang() : hang,
                update.reset() != null ? update.reset() : reset,
                update.refuseRefunds() != null ? update.refuseRefunds() : refuseRefunds);
    }

    @Override
    public String toString() {
        return "errorRate=" + errorRate + " errorAfterProcessingRate=" + errorAfterProcessingRate
                + " latency=" + latencyMs + "ms+" + latencyDistribution + "(" + latencyJitterMs + "ms)"
                + " hang=" + hang + " reset=" + reset + " refuseRefunds=" + refuseRefunds;
    }

    private static void requireProbability(String name, double value) {
        // NaN fails both comparisons, so it is rejected too.
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new InvalidFaultSettingsException(name + " must be between 0.0 and 1.0, was " + value);
        }
    }

    private static void requireLatency(String name, long value) {
        if (value < 0 || value > MAX_LATENCY_MS) {
            throw new InvalidFaultSettingsException(name + " must be between 0 and " + MAX_LATENCY_MS + ", was " + value);
        }
    }
}
