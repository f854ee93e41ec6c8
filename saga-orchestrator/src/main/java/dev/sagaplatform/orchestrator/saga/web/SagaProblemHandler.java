package dev.sagaplatform.orchestrator.saga.web;

import dev.sagaplatform.orchestrator.saga.SagaNotFoundException;
import dev.sagaplatform.orchestrator.saga.SagaNotRetryableException;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import dev.sagaplatform.web.problem.ProblemType;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The operator API's own problem types; everything else (Spring MVC's exceptions, paging, the database, the
 * unexpected) is platform-web's {@link PlatformProblemHandler}.
 */
@RestControllerAdvice
class SagaProblemHandler extends PlatformProblemHandler {

    static final ProblemType SAGA_NOT_FOUND = ProblemType.of("saga-not-found", HttpStatus.NOT_FOUND, "Saga not found");
    static final ProblemType SAGA_NOT_STUCK = ProblemType.of("saga-not-stuck", HttpStatus.CONFLICT, "Only a STUCK saga can be retried");
    static final ProblemType CONCURRENT_UPDATE =
            ProblemType.of("concurrent-update", HttpStatus.CONFLICT, "The saga changed while the request was handled");

    @ExceptionHandler
    ResponseEntity<Object> sagaNotFound(SagaNotFoundException e, WebRequest request) {
        return answer(SAGA_NOT_FOUND.exception(e.getMessage()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> notRetryable(SagaNotRetryableException e, WebRequest request) {
        return answer(SAGA_NOT_STUCK.exception(e.getMessage()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> concurrentUpdate(OptimisticLockingFailureException e, WebRequest request) {
        return answer(CONCURRENT_UPDATE.exception("the saga moved on while the retry was decided; look at it again"), request);
    }
}
