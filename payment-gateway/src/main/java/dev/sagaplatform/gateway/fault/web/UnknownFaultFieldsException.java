package dev.sagaplatform.gateway.fault.web;

import dev.sagaplatform.gateway.web.ProblemTypes;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

final class UnknownFaultFieldsException extends ErrorResponseException {

    UnknownFaultFieldsException(Set<String> fields) {
        super(HttpStatus.BAD_REQUEST, problem(fields), null);
    }

    private static ProblemDetail problem(Set<String> fields) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Unknown fault fields " + fields
                + "; known: errorRate, errorAfterProcessingRate, latencyMs, latencyJitterMs, latencyDistribution, hang, reset");
        problem.setType(ProblemTypes.INVALID_REQUEST);
        problem.setTitle("Invalid request");
        return problem;
    }
}
