package dev.sagaplatform.order.idempotency;

/**
 * This request's claim on its key was taken over after the lock timeout, so another request now
 * owns the key; completing anyway could create a second order for one key.
 */
public class ClaimLostException extends RequestInProgressException {

    public ClaimLostException(String key) {
        super("the request took longer than the idempotency lock timeout and another request with key '"
                + key + "' took over");
    }
}
