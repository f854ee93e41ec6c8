package dev.sagaplatform.payment.payment.gateway;

/** The gateway answered and refused the operation: a business outcome, not a transient fault. */
public class GatewayRefusedException extends RuntimeException {

    public GatewayRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
