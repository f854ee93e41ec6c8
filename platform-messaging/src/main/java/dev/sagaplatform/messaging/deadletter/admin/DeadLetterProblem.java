package dev.sagaplatform.messaging.deadletter.admin;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** What the dead-letter API answers instead of a result, each with a stable problem {@code type}. */
enum DeadLetterProblem {

    MALFORMED_JSON("malformed-json", HttpStatus.BAD_REQUEST, "Request body is not a JSON object"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Request body is not application/json"),
    UNKNOWN_FIELD("unknown-field", HttpStatus.BAD_REQUEST, "Request body has an unknown field"),
    INVALID_FIELD("invalid-field", HttpStatus.BAD_REQUEST, "Request body has invalid fields"),
    UNKNOWN_DEAD_LETTER("unknown-dead-letter", HttpStatus.NOT_FOUND, "Unknown dead letter"),
    KAFKA_UNAVAILABLE("kafka-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not answer");

    private final URI type;
    private final HttpStatus status;
    private final String title;

    DeadLetterProblem(String name, HttpStatus status, String title) {
        this.type = URI.create("https://saga-platform.dev/problems/" + name);
        this.status = status;
        this.title = title;
    }

    ErrorResponseException exception(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }

    /** With one more member, such as the field or the records that were wrong. */
    ErrorResponseException exception(String detail, String property, Object value) {
        ErrorResponseException exception = exception(detail);
        exception.getBody().setProperty(property, value);
        return exception;
    }
}
