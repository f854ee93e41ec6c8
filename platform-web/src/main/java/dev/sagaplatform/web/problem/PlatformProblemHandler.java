package dev.sagaplatform.web.problem;

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
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place every service's failures become RFC 9457 problems with a stable {@code type}:
 * <ul>
 *   <li>a {@link ProblemException} is answered as it says;</li>
 *   <li>Spring MVC's own exceptions keep Spring's status and get a type from {@link ProblemTypes} (an unreadable body
 *       {@code malformed-json}, an unknown field {@code unknown-field}, a bad parameter {@code invalid-parameter}, ...);</li>
 *   <li>a database that cannot be reached is a {@code 503 dependency-unavailable} with {@code Retry-After}, not a 500
 *       after the pool's timeout: the transaction did not commit, so the client may retry;</li>
 *   <li>anything else is a logged {@code 500 internal-error}, never the client's fault.</li>
 * </ul>
 * Auto-configured for every servlet web service. A service with errors of its own subclasses it (annotated
 * {@code @RestControllerAdvice}) and adds {@code @ExceptionHandler} methods that map its exceptions to its own
 * {@link ProblemType}s; it is then the only handler. No other class of a service may handle exceptions.
 */
@RestControllerAdvice
public class PlatformProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(PlatformProblemHandler.class);

    /** How long a client should wait before retrying after a dependency was unavailable. */
    public static final long DEPENDENCY_RETRY_AFTER_SECONDS = 5;

    /**
     * The database is down or restarting (no connection within the pool's timeout, or the connection broke): the
     * request's transaction did not commit.
     */
    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class})
    public ResponseEntity<Object> databaseUnavailable(Exception e, WebRequest request) {
        log.warn("request refused, the database is not available: {}", mostSpecificMessage(e));
        return answer(dependencyUnavailable("database"), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> bodyTooLarge(RequestBodyTooLargeException e, WebRequest request) {
        return answer(e.problem(), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("unexpected failure", e);
        String advice = unexpectedAdvice();
        return answer(ProblemTypes.INTERNAL_ERROR.exception("the request failed on the server"
                + (advice == null ? "" : "; " + advice)), request);
    }

    /** {@code <dependency> is not available; <advice>}, with {@code Retry-After}. */
    protected ProblemException dependencyUnavailable(String dependency) {
        return ProblemTypes.DEPENDENCY_UNAVAILABLE.exception(dependency + " is not available; " + dependencyUnavailableAdvice())
                .with("dependency", dependency)
                .retryAfterSeconds(DEPENDENCY_RETRY_AFTER_SECONDS);
    }

    /** What a client should do after a 503 dependency-unavailable; a service may say more (e.g. which key to retry with). */
    protected String dependencyUnavailableAdvice() {
        return "nothing was changed, retry later";
    }

    /** What a client may assume after a 500, if the service knows; {@code null} says nothing more. */
    protected String unexpectedAdvice() {
        return null;
    }

    /**
     * The type this service answers where the platform's would be {@code standard}; the identity, except for a service
     * whose API documents other types (payment-gateway answers every 400 as {@code invalid-request}).
     */
    protected ProblemType typeFor(ProblemType standard) {
        return standard;
    }

    /** Answers the problem through the same path as Spring's own exceptions, so every answer looks the same. */
    protected final ResponseEntity<Object> answer(ProblemException problem, WebRequest request) {
        return handleExceptionInternal(problem, problem.getBody(), problem.getHeaders(), problem.getStatusCode(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        RequestBodyTooLargeException tooLarge = causeOf(ex, RequestBodyTooLargeException.class);
        if (tooLarge != null) {
            return answer(tooLarge.problem(), request);
        }
        UnrecognizedPropertyException unknown = causeOf(ex, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String field = path(unknown);
            return answer(ProblemTypes.UNKNOWN_FIELD.exception("unknown field '" + field + "'; known fields are "
                    + unknown.getKnownPropertyIds()).with("field", field), request);
        }
        JacksonException jackson = causeOf(ex, JacksonException.class);
        if (jackson != null && !jackson.getPath().isEmpty()) {
            String field = path(jackson);
            String message = "has a value of the wrong type or form";
            return answer(ProblemTypes.INVALID_FIELD.exception(field + " " + message)
                    .with("errors", List.of(Map.of("field", field, "message", message))), request);
        }
        return answer(ProblemTypes.MALFORMED_JSON.exception("request body must be exactly one JSON value of the documented shape"
                + (jackson == null ? "" : ": " + jackson.getOriginalMessage())), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(PlatformProblemHandler::fieldError)
                .toList();
        return answer(ProblemTypes.INVALID_FIELD.exception("invalid fields: "
                + errors.stream().map(error -> error.get("field")).sorted().distinct().toList()).with("errors", errors), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<Map<String, String>> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> Map.of("field", String.valueOf(result.getMethodParameter().getParameterName()),
                                "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        return answer(ProblemTypes.INVALID_PARAMETER.exception("invalid parameters: "
                + errors.stream().map(error -> error.get("field")).sorted().distinct().toList()).with("errors", errors), request);
    }

    /** Every answer passes here: gives Spring's own problems ({@code about:blank}) a stable type. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> answer = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (answer != null && answer.getBody() instanceof ProblemDetail problem) {
            ProblemType standard = ex instanceof ProblemException known ? known.problemType() : standardType(statusCode);
            ProblemType type = typeFor(standard);
            if (!(ex instanceof ProblemException) || type != standard) {
                problem.setType(type.type());
                problem.setTitle(type.title());
            }
            if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
                problem.setDetail("send the request body as application/json; Content-Type was "
                        + (unsupported.getContentType() == null ? "missing" : unsupported.getContentType()));
            }
        }
        return answer;
    }

    private static ProblemType standardType(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemTypes.INVALID_PARAMETER;
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 406 -> ProblemTypes.NOT_ACCEPTABLE;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemTypes.SERVICE_UNAVAILABLE;
            default -> ProblemTypes.INTERNAL_ERROR;
        };
    }

    private static Map<String, String> fieldError(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String mostSpecificMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    /** The JSON path of the field, as in {@code items[2].quantity}. */
    public static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
