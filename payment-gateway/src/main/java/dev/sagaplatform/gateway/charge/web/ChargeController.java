package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.ChargeService;
import dev.sagaplatform.gateway.charge.domain.ChargeOutcome;
import dev.sagaplatform.gateway.charge.persistence.ChargeFilter;
import dev.sagaplatform.gateway.web.GatewayProblems;
import dev.sagaplatform.web.paging.Paging;
import dev.sagaplatform.web.problem.ProblemException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ChargeController {

    private final ChargeService service;

    ChargeController(ChargeService service) {
        this.service = service;
    }

    /** 201 for a new charge, 200 with the stored charge for a replay of the same key and body. */
    @ApiResponse(responseCode = "201", description = "charged", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "a replay: the charge stored under this key", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "409", description = "charge-voided: a refund for this key came first")
    @ApiResponse(responseCode = "422", description = "idempotency-key-reused with a different body")
    @ApiResponse(responseCode = "503", description = "gateway-unavailable (injected fault)")
    @ApiResponse(responseCode = "504", description = "gateway-timeout (injected hang)")
    @PostMapping(path = "/charges", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ChargeResource> charge(@Valid @RequestBody ChargeBody body) {
        ChargeOutcome outcome = service.charge(body.toRequest());
        ChargeResource resource = ChargeResource.of(outcome.charge());
        if (outcome.replay()) {
            return ResponseEntity.ok(resource);
        }
        return ResponseEntity.created(URI.create("/charges/" + resource.chargeId())).body(resource);
    }

    @ApiResponse(responseCode = "200", description = "the charge", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "charge-not-found")
    @GetMapping("/charges/{chargeId}")
    ChargeResource charge(@PathVariable UUID chargeId) {
        return service.find(chargeId).map(ChargeResource::of).orElseThrow(() -> notFound(chargeId));
    }

    @GetMapping("/charges")
    PagedModel<ChargeResource> charges(
            @RequestParam(required = false) UUID orderId,
            @RequestParam(required = false) String customerId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        Pageable pageable = Paging.pageable(page, size);
        String customer = customerId == null || customerId.isBlank() ? null : customerId;
        ChargeService.ChargePage found = service.find(new ChargeFilter(orderId, customer), pageable.getPageNumber(), pageable.getPageSize());
        return Paging.of(found.content().stream().map(ChargeResource::of).toList(), pageable, found.totalElements());
    }

    private static ProblemException notFound(UUID chargeId) {
        return GatewayProblems.CHARGE_NOT_FOUND.exception("No charge " + chargeId);
    }
}
