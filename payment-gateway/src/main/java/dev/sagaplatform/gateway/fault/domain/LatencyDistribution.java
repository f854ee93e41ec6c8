package dev.sagaplatform.gateway.fault.domain;

/** How the extra delay on top of {@code latencyMs} is drawn; {@code latencyJitterMs} sets its scale. */
public enum LatencyDistribution {
    /** No extra delay: exactly {@code latencyMs}, jitter ignored. */
    FIXED,
    /** Uniform in {@code 0..latencyJitterMs}. */
    UNIFORM,
    /**
     * Exponential with mean {@code latencyJitterMs}, cut at ten times the mean: most requests are a
     * little slow and a few are very slow, the long tail real networks show.
     */
    EXPONENTIAL
}
