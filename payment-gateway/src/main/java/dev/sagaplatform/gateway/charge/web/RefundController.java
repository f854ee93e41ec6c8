package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.ChargeService;
import dev.sagaplatform.gateway.charge.domain.RefundOutcome;
import dev.sagaplatform.gateway.charge.domain.RefundStatus;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class RefundController {

    private final ChargeService service;

    RefundController(ChargeService service) {
        this.service = service;
    }

    /**
     * 201 when money went back; 200 for a replay, and for a void (no charge existed, so nothing was
     * created that the caller could fetch, only the charge key blocked).
     */
    @ApiResponse(responseCode = "201", description = "refunded", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "a replay, or a void (no charge existed)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "idempotency-key-reused, refund-exceeds-charge or refund-refused (injected fault)")
    @ApiResponse(responseCode = "503", description = "gateway-unavailable (injected fault)")
    @ApiResponse(responseCode = "504", description = "gateway-timeout (injected hang)")
    @PostMapping(path = "/refunds", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<RefundResource> refund(@Valid @RequestBody RefundBody body) {
        RefundOutcome outcome = service.refund(body.toRequest());
        boolean created = !outcome.replay() && outcome.refund().status() == RefundStatus.REFUNDED;
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(RefundResource.of(outcome.refund()));
    }
}
