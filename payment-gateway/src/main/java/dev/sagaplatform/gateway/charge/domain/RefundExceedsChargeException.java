package dev.sagaplatform.gateway.charge.domain;

import java.math.BigDecimal;

public final class RefundExceedsChargeException extends ChargeRefusedException {

    RefundExceedsChargeException(Charge charge, BigDecimal requested) {
        super("Refund of " + requested.toPlainString() + " exceeds the " + charge.remainingAmount().toPlainString()
                + " left of charge " + charge.idempotencyKey() + " (" + charge.amount().toPlainString() + " charged, "
                + charge.refundedAmount().toPlainString() + " refunded)");
    }
}
