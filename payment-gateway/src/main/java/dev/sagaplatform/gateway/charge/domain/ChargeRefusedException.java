package dev.sagaplatform.gateway.charge.domain;

/** The processor declines the request as asked; nothing was stored. */
public abstract sealed class ChargeRefusedException extends RuntimeException
        permits IdempotencyKeyReusedException, ChargeVoidedException, RefundExceedsChargeException {

    ChargeRefusedException(String message) {
        super(message);
    }
}
