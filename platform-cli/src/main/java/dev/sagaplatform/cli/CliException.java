package dev.sagaplatform.cli;

/** A failure the user can act on: printed as its message alone, without a stack trace. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
