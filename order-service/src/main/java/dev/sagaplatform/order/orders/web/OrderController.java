package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.order.idempotency.StoredResponse;
import dev.sagaplatform.order.orders.OrderNotFoundException;
import dev.sagaplatform.order.orders.OrderProperties;
import dev.sagaplatform.order.orders.OrderQueries;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
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
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_PAGE_SIZE = 500;

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
     * The body is read here rather than bound by Spring, so that its size is capped before anything
     * parses it and the strict reader decides what counts as valid.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> place(@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                 HttpServletRequest request) throws IOException {
        String key = checkIdempotencyKey(idempotencyKey);
        byte[] body = readBody(request);
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

    @GetMapping(path = "/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    OrderViews.OrderView get(@PathVariable UUID orderId) {
        return queries.find(orderId).map(OrderViews.OrderView::of).orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    PagedModel<OrderViews.OrderView> list(@RequestParam(required = false) String customerId,
                                          @RequestParam(required = false) OrderStatus status,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "20") int size) {
        if (page < 0) {
            throw invalidParameter("page", "must be 0 or more, was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw invalidParameter("size", "must be from 1 to " + MAX_PAGE_SIZE + ", was " + size);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            // The database offset is an int; past it there can be no orders anyway.
            throw invalidParameter("page", "is beyond the last possible page for size " + size);
        }
        String customer = customerId == null || customerId.isBlank() ? null : customerId;
        return new PagedModel<>(queries.search(customer, status, page, size).map(OrderViews.OrderView::of));
    }

    private static String checkIdempotencyKey(String key) {
        if (key == null || key.isBlank()) {
            throw new ProblemException(ProblemType.MISSING_IDEMPOTENCY_KEY,
                    "send a unique Idempotency-Key header (e.g. a UUID) with every new order and reuse it for retries");
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new ProblemException(ProblemType.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters, was " + key.length());
        }
        return key;
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        // A chunked body declares no length: read one byte past the limit to find out.
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                "request body must be at most " + MAX_BODY_BYTES + " bytes", Map.of("maxBytes", MAX_BODY_BYTES));
    }

    private static ProblemException invalidParameter(String name, String message) {
        return new ProblemException(ProblemType.INVALID_PARAMETER, name + " " + message, Map.of("parameter", name));
    }
}
