package dev.sagaplatform.order.idempotency;

public class RequestInProgressException extends RuntimeException {

    public RequestInProgressException(String message) {
        super(message);
    }
}
