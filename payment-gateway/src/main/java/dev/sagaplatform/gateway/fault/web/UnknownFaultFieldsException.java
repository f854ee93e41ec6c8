package dev.sagaplatform.gateway.fault.web;

import dev.sagaplatform.web.problem.ProblemException;
import dev.sagaplatform.web.problem.ProblemTypes;
import java.util.Set;

final class UnknownFaultFieldsException extends ProblemException {

    UnknownFaultFieldsException(Set<String> fields) {
        super(ProblemTypes.INVALID_REQUEST, "Unknown fault fields " + fields + "; known: errorRate, errorAfterProcessingRate, "
                + "latencyMs, latencyJitterMs, latencyDistribution, hang, reset, refuseRefunds");
    }
}
