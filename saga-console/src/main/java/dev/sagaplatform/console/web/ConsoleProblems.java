package dev.sagaplatform.console.web;

import dev.sagaplatform.web.problem.ProblemType;
import org.springframework.http.HttpStatus;

/** The console's own problem types; the rest come from platform-web's catalogue. */
public final class ConsoleProblems {

    public static final ProblemType UNKNOWN_ORDER = ProblemType.of("unknown-order", HttpStatus.NOT_FOUND, "Unknown order");
    public static final ProblemType UNKNOWN_MESSAGE = ProblemType.of("unknown-message", HttpStatus.NOT_FOUND, "Unknown message");
    public static final ProblemType UNKNOWN_DEAD_LETTER = ProblemType.of("unknown-dead-letter", HttpStatus.NOT_FOUND, "Unknown dead letter");
    /** The service the action goes to refused it or did not answer; the problem carries its status and answer. */
    public static final ProblemType ACTION_FAILED = ProblemType.of("operator-action-failed", HttpStatus.BAD_GATEWAY,
            "The service did not carry out the action");

    private ConsoleProblems() {
    }
}
