package dev.sagaplatform.gateway.fault.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.sagaplatform.gateway.fault.domain.FaultUpdate;
import dev.sagaplatform.gateway.fault.domain.LatencyDistribution;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unknown fields are refused rather than ignored: a misspelt {@code "errorrate"} silently doing nothing
 * would make a chaos experiment test the wrong thing.
 */
record FaultUpdateBody(
        Double errorRate,
        Double errorAfterProcessingRate,
        Long latencyMs,
        Long latencyJitterMs,
        LatencyDistribution latencyDistribution,
        Boolean hang,
        Boolean reset,
        Boolean refuseRefunds,
        @JsonAnySetter Map<String, Object> unknownFields) {

    FaultUpdateBody {
        unknownFields = unknownFields == null ? new LinkedHashMap<>() : unknownFields;
    }

    FaultUpdate toUpdate() {
        if (!unknownFields.isEmpty()) {
            throw new UnknownFaultFieldsException(unknownFields.keySet());
        }
        return new FaultUpdate(errorRate, errorAfterProcessingRate, latencyMs, latencyJitterMs, latencyDistribution, hang, reset, refuseRefunds);
    }
}
