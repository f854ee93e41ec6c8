package dev.sagaplatform.web.problem;

import org.springframework.http.HttpStatus;

/**
 * The problem types every service shares; {@link PlatformProblemHandler} answers Spring MVC's own failures with
 * them. A service adds its own (e.g. {@code order-not-found}) as {@link ProblemType} constants of its web package.
 */
public final class ProblemTypes {

    public static final ProblemType MALFORMED_JSON =
            ProblemType.of("malformed-json", HttpStatus.BAD_REQUEST, "Request body is not a JSON object");
    public static final ProblemType UNKNOWN_FIELD =
            ProblemType.of("unknown-field", HttpStatus.BAD_REQUEST, "Request body has an unknown field");
    public static final ProblemType INVALID_FIELD =
            ProblemType.of("invalid-field", HttpStatus.BAD_REQUEST, "Request body has invalid fields");
    public static final ProblemType INVALID_PARAMETER =
            ProblemType.of("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid request parameter");
    /** payment-gateway's one type for every 400, as a card processor's API documents it. */
    public static final ProblemType INVALID_REQUEST =
            ProblemType.of("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request");
    public static final ProblemType UNAUTHORIZED =
            ProblemType.of("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized");
    public static final ProblemType NOT_FOUND =
            ProblemType.of("not-found", HttpStatus.NOT_FOUND, "No such resource");
    public static final ProblemType METHOD_NOT_ALLOWED =
            ProblemType.of("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE =
            ProblemType.of("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "No acceptable representation");
    public static final ProblemType PAYLOAD_TOO_LARGE =
            ProblemType.of("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body is too large");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            ProblemType.of("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not supported");
    public static final ProblemType INTERNAL_ERROR =
            ProblemType.of("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");
    public static final ProblemType DEPENDENCY_UNAVAILABLE =
            ProblemType.of("dependency-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "A service this request needs is unavailable");
    public static final ProblemType SERVICE_UNAVAILABLE =
            ProblemType.of("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable");

    private ProblemTypes() {
    }
}
