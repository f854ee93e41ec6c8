package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.domain.RefundRequest;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

record RefundBody(
        @NotBlank @Size(max = 255) String idempotencyKey,
        @NotBlank @Size(max = 255) String chargeIdempotencyKey,
        @NotNull @Positive @Digits(integer = 17, fraction = 2) BigDecimal amount) {

    RefundRequest toRequest() {
        return new RefundRequest(idempotencyKey, chargeIdempotencyKey, amount);
    }
}
