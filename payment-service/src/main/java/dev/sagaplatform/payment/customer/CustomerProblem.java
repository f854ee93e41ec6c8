package dev.sagaplatform.payment.customer;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** What the customer API answers instead of a customer, each with a stable problem {@code type}. */
enum CustomerProblem {

    UNKNOWN_CUSTOMER("unknown-customer", HttpStatus.NOT_FOUND, "Unknown customer"),
    INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid request parameter"),
    MALFORMED_JSON("malformed-json", HttpStatus.BAD_REQUEST, "Request body is not a JSON object"),
    UNKNOWN_FIELD("unknown-field", HttpStatus.BAD_REQUEST, "Request body has an unknown field"),
    INVALID_FIELD("invalid-field", HttpStatus.BAD_REQUEST, "Request body has invalid fields"),
    LIMIT_BELOW_CREDIT_IN_USE("limit-below-credit-in-use", HttpStatus.UNPROCESSABLE_CONTENT, "Credit limit below credit in use");

    private final URI type;
    private final HttpStatus status;
    private final String title;

    CustomerProblem(String name, HttpStatus status, String title) {
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

    /** With one more member, such as the field that was wrong. */
    ErrorResponseException exception(String detail, String property, Object value) {
        ErrorResponseException exception = exception(detail);
        exception.getBody().setProperty(property, value);
        return exception;
    }
}
