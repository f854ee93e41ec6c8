package dev.sagaplatform.gateway.charge.domain;

public final class IdempotencyKeyReusedException extends ChargeRefusedException {

    IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
