package dev.sagaplatform.gateway.charge.domain;

import java.math.BigDecimal;

public record RefundRequest(String idempotencyKey, String chargeIdempotencyKey, BigDecimal amount) {

    public RefundRequest {
        Amounts.requireText(idempotencyKey, "idempotencyKey");
        Amounts.requireText(chargeIdempotencyKey, "chargeIdempotencyKey");
        amount = Amounts.requirePositiveCents(amount, "amount");
    }

    boolean describes(Refund refund) {
        return chargeIdempotencyKey.equals(refund.chargeIdempotencyKey()) && amount.compareTo(refund.amount()) == 0;
    }
}
