package dev.sagaplatform.gateway.charge.domain;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

public record ChargeRequest(String idempotencyKey, UUID orderId, String customerId, BigDecimal amount) {

    public ChargeRequest {
        Amounts.requireText(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(orderId, "orderId is required");
        Amounts.requireText(customerId, "customerId");
        amount = Amounts.requirePositiveCents(amount, "amount");
    }

    /** Whether a stored charge is what this request asks for, i.e. the request is a replay. */
    boolean describes(Charge charge) {
        return orderId.equals(charge.orderId())
                && customerId.equals(charge.customerId())
                && amount.compareTo(charge.amount()) == 0;
    }
}
