package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.order.idempotency.StoredResponse;
import dev.sagaplatform.order.orders.OrderNotFoundException;
import dev.sagaplatform.order.orders.OrderProperties;
import dev.sagaplatform.order.orders.OrderQueries;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import dev.sagaplatform.web.paging.Paging;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set on an answer that repeats an earlier one, so a client can tell a replay from a new order. */
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final OrderRequestReader reader = new OrderRequestReader();
    private final IdempotentOrderPlacement placement;
    private final OrderQueries queries;
    private final OrderProperties properties;

    OrderController(IdempotentOrderPlacement placement, OrderQueries queries, OrderProperties properties) {
        this.placement = placement;
        this.queries = queries;
        this.properties = properties;
    }

    /**
     * The body is read here rather than bound by Spring, so that the strict reader decides what counts as valid
     * (platform-web has capped its size already).
     */
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OrderRequestReader.PlaceOrderBody.class)))
    @ApiResponse(responseCode = "202", description = "accepted, or a replay of the same key and body: the stored original answer"
            + " (header Idempotent-Replayed: true); Location: /orders/{id}", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OrderViews.OrderAccepted.class)))
    @ApiResponse(responseCode = "400", description = "missing-idempotency-key, invalid-idempotency-key, duplicate-sku, malformed-json,"
            + " unknown-field or invalid-field")
    @ApiResponse(responseCode = "409", description = "request-in-progress: the first request with this key is still being handled")
    @ApiResponse(responseCode = "422", description = "idempotency-key-reused with a different body, unknown-customer or unknown-sku")
    @ApiResponse(responseCode = "503", description = "at-capacity (Retry-After: 1; nothing stored) or dependency-unavailable")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> place(@Parameter(in = ParameterIn.HEADER, required = true, description = "unique per new order, reused for"
                                         + " its retries; at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters")
                                 @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                 HttpServletRequest request) throws IOException {
        String key = checkIdempotencyKey(idempotencyKey);
        byte[] body = request.getInputStream().readAllBytes();
        OrderRequest order = reader.read(body, properties.defaultFlow());
        order.validate();

        IdempotentOrderPlacement.Result result = placement.place(key, order);
        StoredResponse response = result.response();
        var answer = ResponseEntity.status(response.status())
                .location(URI.create("/orders/" + response.orderId()))
                .contentType(MediaType.APPLICATION_JSON);
        if (result.replayed()) {
            answer.header(IDEMPOTENT_REPLAYED, "true");
        }
        return answer.body(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @ApiResponse(responseCode = "200", description = "the order", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "order-not-found")
    @GetMapping(path = "/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    OrderViews.OrderView get(@PathVariable UUID orderId) {
        return queries.find(orderId).map(OrderViews.OrderView::of).orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    PagedModel<OrderViews.OrderView> list(@RequestParam(required = false) String customerId,
                                          @RequestParam(required = false) OrderStatus status,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "20") int size) {
        Pageable pageable = Paging.pageable(page, size);
        String customer = customerId == null || customerId.isBlank() ? null : customerId;
        return new PagedModel<>(queries.search(customer, status, pageable.getPageNumber(), pageable.getPageSize())
                .map(OrderViews.OrderView::of));
    }

    private static String checkIdempotencyKey(String key) {
        if (key == null || key.isBlank()) {
            throw OrderProblems.MISSING_IDEMPOTENCY_KEY.exception(
                    "send a unique Idempotency-Key header (e.g. a UUID) with every new order and reuse it for retries");
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw OrderProblems.INVALID_IDEMPOTENCY_KEY.exception(
                    "Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters, was " + key.length());
        }
        return key;
    }
}
