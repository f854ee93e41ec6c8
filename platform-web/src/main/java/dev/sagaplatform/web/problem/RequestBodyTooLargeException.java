package dev.sagaplatform.web.problem;

import java.io.IOException;
import java.util.Map;

/**
 * Thrown by the request body's stream when a body without a declared length grows past the limit; an
 * {@link IOException} so that every reader (Jackson, a controller's own) passes it on.
 */
public class RequestBodyTooLargeException extends IOException {

    private final long maxBytes;

    public RequestBodyTooLargeException(long maxBytes) {
        super("request body must be at most " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    ProblemException problem() {
        return new ProblemException(ProblemTypes.PAYLOAD_TOO_LARGE, getMessage(), Map.of("maxBytes", maxBytes));
    }
}
