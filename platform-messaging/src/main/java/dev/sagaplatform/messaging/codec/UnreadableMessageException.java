package dev.sagaplatform.messaging.codec;

/** A message no retry can make readable: it belongs on the dead-letter topic. */
public class UnreadableMessageException extends RuntimeException {

    public UnreadableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
