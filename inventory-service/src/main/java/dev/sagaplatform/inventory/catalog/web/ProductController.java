package dev.sagaplatform.inventory.catalog.web;

import dev.sagaplatform.inventory.catalog.NewProductIncompleteException;
import dev.sagaplatform.inventory.catalog.ProductAdministration;
import dev.sagaplatform.inventory.catalog.persistence.OnHandBelowReservedException;
import dev.sagaplatform.inventory.catalog.persistence.ProductRepository;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The catalogue: prices and stock. Reading is open to everyone, it is a demo shop; changing it is admin. */
@RestController
@RequestMapping("/products")
class ProductController {

    static final String PROBLEMS = "https://saga-platform.dev/problems/";
    static final URI UNKNOWN_SKU = URI.create(PROBLEMS + "unknown-sku");
    static final URI ON_HAND_BELOW_RESERVED = URI.create(PROBLEMS + "on-hand-below-reserved");
    static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ProductRepository products;
    private final ProductAdministration administration;

    ProductController(ProductRepository products, ProductAdministration administration) {
        this.products = products;
        this.administration = administration;
    }

    /**
     * Pages of products in SKU order. {@code sku} may repeat ({@code ?sku=A&sku=B}) so that a caller
     * prices a whole order in one request; unknown SKUs are simply absent from the page. The client's
     * sort is ignored: SKU order keeps pages stable while stock changes underneath.
     */
    @GetMapping
    public PagedModel<ProductView> list(@RequestParam(name = "sku", required = false) List<String> skus,
                                        Pageable pageable) {
        Pageable bySku = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by("sku"));
        Page<ProductView> page = (skus == null || skus.isEmpty()
                ? products.findAll(bySku)
                : products.findBySkuIn(skus, bySku)).map(ProductView::of);
        return new PagedModel<>(page);
    }

    @GetMapping("/{sku}")
    public ProductView get(@PathVariable String sku) {
        return products.findById(sku).map(ProductView::of).orElseThrow(() -> new UnknownSkuException(sku));
    }

    /**
     * Admin (see security): creates the product (201; price and onHand required) or changes its price,
     * name and stock on hand (200). {@code onHand} is the new total; what orders hold stays reserved.
     */
    @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ProductView> put(@PathVariable String sku, @RequestBody JsonNode body) {
        if (!SKU.matcher(sku).matches()) {
            throw new InvalidProductRequestException(InvalidProductRequestException.INVALID_PARAMETER,
                    "a SKU is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'", Map.of("sku", sku));
        }
        ProductChange change = ProductChange.from(body);
        ProductAdministration.Outcome outcome = administration.put(sku, change.price(), change.onHand(), change.name());
        ProductView view = ProductView.of(outcome.product());
        return outcome.created() ? ResponseEntity.created(URI.create("/products/" + sku)).body(view) : ResponseEntity.ok(view);
    }

    @ExceptionHandler
    ProblemDetail invalidRequest(InvalidProductRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, URI.create(PROBLEMS + e.type), e.title(), e.getMessage(), e.properties);
    }

    @ExceptionHandler
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return invalidRequest(new InvalidProductRequestException(InvalidProductRequestException.MALFORMED_JSON,
                "request body must be one JSON object like {\"price\": 1.50, \"onHand\": 1000}", Map.of()));
    }

    @ExceptionHandler
    ProblemDetail incomplete(NewProductIncompleteException e) {
        List<Map<String, String>> errors = e.missing().stream()
                .map(field -> Map.of("field", field, "message", "is required to create a product")).toList();
        return invalidRequest(new InvalidProductRequestException(InvalidProductRequestException.INVALID_FIELD, e.getMessage(),
                Map.of("errors", errors)));
    }

    @ExceptionHandler
    ProblemDetail belowReserved(OnHandBelowReservedException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, ON_HAND_BELOW_RESERVED, "Stock on hand below reserved", e.getMessage(),
                Map.of("reserved", e.reserved()));
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknownSku(UnknownSkuException e) {
        return problem(HttpStatus.NOT_FOUND, UNKNOWN_SKU, "Unknown SKU", "no product with sku " + e.sku, Map.of("sku", e.sku));
    }

    static final class UnknownSkuException extends RuntimeException {

        private final String sku;

        UnknownSkuException(String sku) {
            super("unknown sku " + sku, null, false, false);
            this.sku = sku;
        }
    }
}
