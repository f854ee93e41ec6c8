package dev.sagaplatform.gateway.web;

import dev.sagaplatform.gateway.charge.domain.ChargeVoidedException;
import dev.sagaplatform.gateway.charge.domain.IdempotencyKeyReusedException;
import dev.sagaplatform.gateway.charge.domain.RefundExceedsChargeException;
import dev.sagaplatform.gateway.fault.domain.InvalidFaultSettingsException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/** Every error as RFC 9457 problem details with a stable {@code type}. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private static final URI BLANK_TYPE = URI.create("about:blank");

    private static final Map<Integer, URI> TYPES_BY_STATUS = Map.of(
            400, ProblemTypes.INVALID_REQUEST,
            404, ProblemTypes.NOT_FOUND,
            405, ProblemTypes.METHOD_NOT_ALLOWED,
            406, ProblemTypes.NOT_ACCEPTABLE,
            415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
            500, ProblemTypes.INTERNAL_ERROR);

    @ExceptionHandler
    ProblemDetail keyReused(IdempotencyKeyReusedException ex) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency key reused", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail voided(ChargeVoidedException ex) {
        return problem(HttpStatus.CONFLICT, ProblemTypes.CHARGE_VOIDED, "Charge voided", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail refundTooLarge(RefundExceedsChargeException ex) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.REFUND_EXCEEDS_CHARGE, "Refund exceeds charge", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalidFaults(InvalidFaultSettingsException ex) {
        return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR, "Internal error",
                "The gateway failed unexpectedly; the request may not have been processed");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(ApiExceptionHandler::fieldError)
                .toList();
        ProblemDetail problem = invalid("Invalid fields: " + errors.stream().map(error -> error.get("field")).sorted().distinct().toList());
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> Map.of("field", String.valueOf(result.getMethodParameter().getParameterName()),
                                "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        ProblemDetail problem = invalid("Invalid parameters: " + errors.stream().map(error -> error.get("field")).sorted().distinct().toList());
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String reason = ex.getMostSpecificCause() instanceof JacksonException jackson ? ": " + jackson.getOriginalMessage() : "";
        return handleExceptionInternal(ex, invalid("The body is missing, not JSON, or has a field of the wrong type" + reason),
                headers, status, request);
    }

    /** Spring's own problems come without a type ({@code about:blank}); give them this API's type for their status. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null || BLANK_TYPE.equals(problem.getType()))) {
            URI type = TYPES_BY_STATUS.get(statusCode.value());
            if (type != null) {
                problem.setType(type);
            }
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static Map<String, String> fieldError(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static ProblemDetail invalid(String detail) {
        return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }
}
