package dev.sagaplatform.web.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * One kind of error an API answers: a stable {@code type} URI that clients may switch on, its status and its fixed
 * title; the {@code detail} of each answer says what exactly was wrong. The platform-wide ones are in
 * {@link ProblemTypes}; a service declares its own next to its API with {@link #of}.
 */
public record ProblemType(URI type, HttpStatus status, String title) {

    /** Every problem type of the platform lives under this URI. */
    public static final String BASE = "https://saga-platform.dev/problems/";

    public static ProblemType of(String name, HttpStatus status, String title) {
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a problem name is lower-case words joined by '-', was: " + name);
        }
        return new ProblemType(URI.create(BASE + name), status, title);
    }

    /** A problem of this type; add members with {@link ProblemException#with}. */
    public ProblemException exception(String detail) {
        return new ProblemException(this, detail);
    }
}
