package dev.sagaplatform.orchestrator.saga.web;

import dev.sagaplatform.orchestrator.saga.SagaNotFoundException;
import dev.sagaplatform.orchestrator.saga.SagaNotRetryableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problems with a stable {@link ProblemType} for every failure. Spring's own exceptions (bad
 * parameters, unknown paths, wrong methods) keep Spring's status and detail and get a stable type too.
 */
@RestControllerAdvice
class SagaProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(SagaProblemHandler.class);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> sagaNotFound(SagaNotFoundException e) {
        return answer(ProblemType.SAGA_NOT_FOUND, e.getMessage(), Map.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notRetryable(SagaNotRetryableException e) {
        return answer(ProblemType.SAGA_NOT_STUCK, e.getMessage(), Map.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> concurrentUpdate(OptimisticLockingFailureException e) {
        return answer(ProblemType.CONCURRENT_UPDATE, "the saga moved on while the retry was decided; look at it again",
                Map.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameterException e) {
        return answer(ProblemType.INVALID_PARAMETER, e.getMessage(), Map.of("parameter", e.parameter()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return answer(ProblemType.INTERNAL_ERROR, "the request failed on the server", Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> answer = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (answer != null && answer.getBody() instanceof ProblemDetail problem) {
            ProblemType type = typeOf(statusCode);
            problem.setType(type.type());
            problem.setTitle(type.title());
        }
        return answer;
    }

    private static ProblemType typeOf(HttpStatusCode status) {
        switch (status.value()) {
            case 400:
                return ProblemType.INVALID_PARAMETER;
            case 404:
                return ProblemType.NOT_FOUND;
            case 405:
                return ProblemType.METHOD_NOT_ALLOWED;
            case 406:
                return ProblemType.NOT_ACCEPTABLE;
            default:
                return ProblemType.INTERNAL_ERROR;
        }
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemType type, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        properties.forEach(problem::setProperty);
        return ResponseEntity.status(type.status()).body(problem);
    }
}
