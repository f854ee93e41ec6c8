package dev.sagaplatform.web.problem;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A failure the web layer answers as the given problem; {@link PlatformProblemHandler} writes it. Thrown by
 * controllers and request readers, never by the plain-Java decisions (they throw their own exceptions, which a
 * service's handler maps).
 */
public class ProblemException extends ErrorResponseException {

    private final ProblemType problemType;

    public ProblemException(ProblemType type, String detail) {
        super(type.status(), problem(type, detail), null);
        this.problemType = type;
    }

    public ProblemException(ProblemType type, String detail, Map<String, ?> properties) {
        this(type, detail);
        properties.forEach(getBody()::setProperty);
    }

    private static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        return problem;
    }

    /** One more member of the problem, such as the field or parameter that was wrong. */
    public ProblemException with(String property, Object value) {
        getBody().setProperty(property, value);
        return this;
    }

    /** When a retry may succeed, as {@code Retry-After}. */
    public ProblemException retryAfterSeconds(long seconds) {
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return this;
    }

    public ProblemType problemType() {
        return problemType;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
