package dev.sagaplatform.gateway.fault.domain;

/** A partial change of {@link FaultSettings}: null means "leave as it is". */
public record FaultUpdate(
        Double errorRate,
        Double errorAfterProcessingRate,
        Long latencyMs,
        Long latencyJitterMs,
        LatencyDistribution latencyDistribution,
        Boolean hang,
        Boolean reset,
        Boolean refuseRefunds) {
}
