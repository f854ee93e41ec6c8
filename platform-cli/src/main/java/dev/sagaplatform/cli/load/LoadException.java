package dev.sagaplatform.cli.load;

/** A load run that cannot go on, with a message for the person who started it. */
public class LoadException extends RuntimeException {

    public LoadException(String message) {
        super(message);
    }
}
