package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.domain.ChargeRequest;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.UUID;

record ChargeBody(
        @NotBlank @Size(max = 255) String idempotencyKey,
        @NotNull UUID orderId,
        @NotBlank @Size(max = 255) String customerId,
        @NotNull @Positive @Digits(integer = 17, fraction = 2) BigDecimal amount) {

    ChargeRequest toRequest() {
        return new ChargeRequest(idempotencyKey, orderId, customerId, amount);
    }
}
