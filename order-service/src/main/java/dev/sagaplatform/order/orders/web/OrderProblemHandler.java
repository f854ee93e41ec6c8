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
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 problem with a stable {@link ProblemType}. Spring's own
 * exceptions (unsupported media type, bad parameters, unknown paths...) keep Spring's status and
 * detail and get a stable type too; anything unexpected is a 500 that is logged, never a client's fault.
 */
@RestControllerAdvice
class OrderProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OrderProblemHandler.class);
    static final String RETRY_AFTER_SECONDS = "5";
    static final String IN_PROGRESS_RETRY_AFTER_SECONDS = "1";
    static final String AT_CAPACITY_RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler
    ResponseEntity<ProblemDetail> problem(ProblemException e) {
        return answer(e.type(), e.getMessage(), e.properties());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidRequest(InvalidOrderRequestException e) {
        List<Map<String, String>> errors = e.violations().stream()
                .map(violation -> Map.of("field", violation.field(), "message", violation.message()))
                .toList();
        String detail = e.violations().stream().map(v -> v.field() + " " + v.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return answer(ProblemType.INVALID_FIELD, detail, Map.of("errors", errors));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> duplicateSku(DuplicateSkuException e) {
        return answer(ProblemType.DUPLICATE_SKU, "each SKU may appear on one line only; put the whole quantity "
                + "on one line. Repeated: " + String.join(", ", e.skus()), Map.of("skus", e.skus()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownCustomer(UnknownCustomerException e) {
        return answer(ProblemType.UNKNOWN_CUSTOMER, e.getMessage(), Map.of("customerId", e.customerId()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownSku(UnknownSkuException e) {
        return answer(ProblemType.UNKNOWN_SKU, "the catalogue has no product " + String.join(", ", e.skus()),
                Map.of("skus", e.skus()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> keyReused(IdempotencyKeyReusedException e) {
        return answer(ProblemType.IDEMPOTENCY_KEY_REUSED, e.getMessage()
                + "; use a new key for a new order", Map.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> inProgress(RequestInProgressException e) {
        ResponseEntity<ProblemDetail> answer = answer(ProblemType.REQUEST_IN_PROGRESS, e.getMessage(), Map.of());
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, IN_PROGRESS_RETRY_AFTER_SECONDS).body(answer.getBody());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> dependencyUnavailable(DependencyUnavailableException e) {
        log.warn("order refused, {}", e.getMessage());
        ResponseEntity<ProblemDetail> answer = answer(ProblemType.DEPENDENCY_UNAVAILABLE,
                e.dependency() + " is not available; nothing was stored, retry with the same Idempotency-Key",
                Map.of("dependency", e.dependency()));
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(answer.getBody());
    }

    /**
     * The database is down or restarting (no connection within the pool's timeout, or the connection broke): the
     * order's transaction did not commit, so the client may retry with the same key, as for any other dependency.
     */
    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        return dependencyUnavailable(new DependencyUnavailableException("database", mostSpecificMessage(e), e));
    }

    private static String mostSpecificMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    /** Not logged per request: under overload that would be thousands of lines; orders_admission_refused_total counts them. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> atCapacity(AtCapacityException e) {
        ResponseEntity<ProblemDetail> answer = answer(ProblemType.AT_CAPACITY, "the platform is at capacity ("
                + e.getMessage() + "); nothing was stored, retry with the same Idempotency-Key",
                Map.of("inFlight", e.inFlight(), "limit", e.limit()));
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, AT_CAPACITY_RETRY_AFTER_SECONDS).body(answer.getBody());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> orderNotFound(OrderNotFoundException e) {
        return answer(ProblemType.ORDER_NOT_FOUND, e.getMessage(), Map.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return answer(ProblemType.INTERNAL_ERROR, "the request failed on the server; nothing was stored", Map.of());
    }

    /** Spring MVC's own exceptions: keep status and detail, add a stable type. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> answer = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (answer != null && answer.getBody() instanceof ProblemDetail problem) {
            ProblemType type = typeOf(ex, statusCode);
            problem.setType(type.type());
            problem.setTitle(type.title());
            if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
                problem.setDetail("send the request body as application/json; Content-Type was "
                        + (unsupported.getContentType() == null ? "missing" : unsupported.getContentType()));
            }
        }
        return answer;
    }

    private static ProblemType typeOf(Exception ex, HttpStatusCode status) {
        if (ex instanceof HttpMessageNotReadableException) {
            return ProblemType.MALFORMED_JSON;
        }
        return switch (status.value()) {
            case 400 -> ProblemType.INVALID_PARAMETER;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemType.SERVICE_UNAVAILABLE;
            default -> ProblemType.INTERNAL_ERROR;
        };
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemType type, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        properties.forEach(problem::setProperty);
        return ResponseEntity.status(type.status()).body(problem);
    }
}
