package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.order.admission.AtCapacityException;
import dev.sagaplatform.order.idempotency.IdempotencyKeyReusedException;
import dev.sagaplatform.order.idempotency.RequestInProgressException;
import dev.sagaplatform.order.orders.OrderNotFoundException;
import dev.sagaplatform.order.orders.UnknownCustomerException;
import dev.sagaplatform.order.orders.UnknownSkuException;
import dev.sagaplatform.order.orders.domain.DuplicateSkuException;
import dev.sagaplatform.order.orders.domain.InvalidOrderRequestException;
import dev.sagaplatform.order.remote.DependencyUnavailableException;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import dev.sagaplatform.web.problem.ProblemTypes;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The order API's failures as problems of {@link OrderProblems}; everything else (Spring MVC's own exceptions,
 * the database being unreachable, the unexpected) is platform-web's {@link PlatformProblemHandler}.
 */
@RestControllerAdvice
class OrderProblemHandler extends PlatformProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(OrderProblemHandler.class);
    static final long IN_PROGRESS_RETRY_AFTER_SECONDS = 1;
    static final long AT_CAPACITY_RETRY_AFTER_SECONDS = 1;

    @ExceptionHandler
    ResponseEntity<Object> invalidRequest(InvalidOrderRequestException e, WebRequest request) {
        List<Map<String, String>> errors = e.violations().stream()
                .map(violation -> Map.of("field", violation.field(), "message", violation.message()))
                .toList();
        String detail = e.violations().stream().map(v -> v.field() + " " + v.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return answer(ProblemTypes.INVALID_FIELD.exception(detail).with("errors", errors), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> duplicateSku(DuplicateSkuException e, WebRequest request) {
        return answer(OrderProblems.DUPLICATE_SKU.exception("each SKU may appear on one line only; put the whole quantity "
                + "on one line. Repeated: " + String.join(", ", e.skus())).with("skus", e.skus()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> unknownCustomer(UnknownCustomerException e, WebRequest request) {
        return answer(OrderProblems.UNKNOWN_CUSTOMER.exception(e.getMessage()).with("customerId", e.customerId()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> unknownSku(UnknownSkuException e, WebRequest request) {
        return answer(OrderProblems.UNKNOWN_SKU.exception("the catalogue has no product " + String.join(", ", e.skus()))
                .with("skus", e.skus()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> keyReused(IdempotencyKeyReusedException e, WebRequest request) {
        return answer(OrderProblems.IDEMPOTENCY_KEY_REUSED.exception(e.getMessage() + "; use a new key for a new order"), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> inProgress(RequestInProgressException e, WebRequest request) {
        return answer(OrderProblems.REQUEST_IN_PROGRESS.exception(e.getMessage()).retryAfterSeconds(IN_PROGRESS_RETRY_AFTER_SECONDS),
                request);
    }

    /** inventory-service or payment-service did not answer; the database is the base handler's. */
    @ExceptionHandler
    ResponseEntity<Object> dependencyUnavailable(DependencyUnavailableException e, WebRequest request) {
        log.warn("order refused, {}", e.getMessage());
        return answer(dependencyUnavailable(e.dependency()), request);
    }

    @Override
    protected String dependencyUnavailableAdvice() {
        return "nothing was stored, retry with the same Idempotency-Key";
    }

    /** Every order's rows commit in one transaction, so a failed request stored nothing. */
    @Override
    protected String unexpectedAdvice() {
        return "nothing was stored";
    }

    /** Not logged per request: under overload that would be thousands of lines; orders_admission_refused_total counts them. */
    @ExceptionHandler
    ResponseEntity<Object> atCapacity(AtCapacityException e, WebRequest request) {
        return answer(OrderProblems.AT_CAPACITY.exception("the platform is at capacity (" + e.getMessage()
                        + "); nothing was stored, retry with the same Idempotency-Key")
                .with("inFlight", e.inFlight()).with("limit", e.limit())
                .retryAfterSeconds(AT_CAPACITY_RETRY_AFTER_SECONDS), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> orderNotFound(OrderNotFoundException e, WebRequest request) {
        return answer(OrderProblems.ORDER_NOT_FOUND.exception(e.getMessage()), request);
    }
}
