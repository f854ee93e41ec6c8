package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.ChargeService;
import dev.sagaplatform.gateway.charge.domain.ChargeOutcome;
import dev.sagaplatform.gateway.charge.persistence.ChargeFilter;
import dev.sagaplatform.gateway.web.PageResponse;
import dev.sagaplatform.gateway.web.ProblemTypes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
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
    @PostMapping(path = "/charges", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ChargeResource> charge(@Valid @RequestBody ChargeBody body) {
        ChargeOutcome outcome = service.charge(body.toRequest());
        ChargeResource resource = ChargeResource.of(outcome.charge());
        if (outcome.replay()) {
            return ResponseEntity.ok(resource);
        }
        return ResponseEntity.created(URI.create("/charges/" + resource.chargeId())).body(resource);
    }

    @GetMapping("/charges/{chargeId}")
    ChargeResource charge(@PathVariable UUID chargeId) {
        return service.find(chargeId).map(ChargeResource::of).orElseThrow(() -> notFound(chargeId));
    }

    @GetMapping("/charges")
    PageResponse<ChargeResource> charges(
            @RequestParam(required = false) UUID orderId,
            @RequestParam(required = false) String customerId,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(500) int size) {
        String customer = customerId == null || customerId.isBlank() ? null : customerId;
        ChargeService.ChargePage found = service.find(new ChargeFilter(orderId, customer), page, size);
        return PageResponse.of(found.content().stream().map(ChargeResource::of).toList(), page, size, found.totalElements());
    }

    private static ErrorResponseException notFound(UUID chargeId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No charge " + chargeId);
        problem.setType(ProblemTypes.CHARGE_NOT_FOUND);
        problem.setTitle("Charge not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
