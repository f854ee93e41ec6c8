package dev.sagaplatform.orchestrator.saga.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** Every error the operator API answers, each with a stable {@code type} URI that clients may switch on. */
public enum ProblemType {

    INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid request parameter"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "No such resource"),
    SAGA_NOT_FOUND("saga-not-found", HttpStatus.NOT_FOUND, "Saga not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "No acceptable representation"),
    SAGA_NOT_STUCK("saga-not-stuck", HttpStatus.CONFLICT, "Only a STUCK saga can be retried"),
    CONCURRENT_UPDATE("concurrent-update", HttpStatus.CONFLICT, "The saga changed while the request was handled"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    public static final String BASE = "https://saga-platform.dev/problems/";

    private final URI type;
    private final HttpStatus status;
    private final String title;

    ProblemType(String name, HttpStatus status, String title) {
        this.type = URI.create(BASE + name);
        this.status = status;
        this.title = title;
    }

    public URI type() {
        return type;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
