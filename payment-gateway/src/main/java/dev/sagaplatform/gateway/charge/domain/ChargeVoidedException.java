package dev.sagaplatform.gateway.charge.domain;

public final class ChargeVoidedException extends ChargeRefusedException {

    ChargeVoidedException(String idempotencyKey) {
        super("Charge key " + idempotencyKey + " was voided by an earlier refund; this charge is refused");
    }
}
