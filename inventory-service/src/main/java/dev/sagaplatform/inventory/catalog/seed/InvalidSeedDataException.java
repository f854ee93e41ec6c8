package dev.sagaplatform.inventory.catalog.seed;

/** The seed file cannot be loaded; the message names the file and the entry at fault. */
public class InvalidSeedDataException extends RuntimeException {

    public InvalidSeedDataException(String message) {
        super(message);
    }

    public InvalidSeedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
