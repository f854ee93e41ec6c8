package dev.sagaplatform.inventory.catalog.web;

import dev.sagaplatform.inventory.catalog.ProductAdministration;
import dev.sagaplatform.inventory.catalog.persistence.ProductRepository;
import dev.sagaplatform.web.paging.Paging;
import dev.sagaplatform.web.problem.ProblemType;
import dev.sagaplatform.web.problem.ProblemTypes;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    static final ProblemType UNKNOWN_SKU = ProblemType.of("unknown-sku", HttpStatus.NOT_FOUND, "Unknown SKU");
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
                                        @RequestParam(defaultValue = "0") int page,
                                        @RequestParam(defaultValue = "20") int size) {
        Pageable bySku = Paging.pageable(page, size, Sort.by("sku"));
        Page<ProductView> found = (skus == null || skus.isEmpty()
                ? products.findAll(bySku)
                : products.findBySkuIn(skus, bySku)).map(ProductView::of);
        return new PagedModel<>(found);
    }

    @ApiResponse(responseCode = "200", description = "the product", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "unknown-sku")
    @GetMapping("/{sku}")
    public ProductView get(@PathVariable String sku) {
        return products.findById(sku).map(ProductView::of)
                .orElseThrow(() -> UNKNOWN_SKU.exception("no product with sku " + sku).with("sku", sku));
    }

    /**
     * Admin (see security): creates the product (201; price and onHand required) or changes its price,
     * name and stock on hand (200). {@code onHand} is the new total; what orders hold stays reserved.
     */
    @ApiResponse(responseCode = "201", description = "created", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "price, name or stock on hand changed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "on-hand-below-reserved")
    @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ProductView> put(@PathVariable String sku, @RequestBody JsonNode body) {
        if (!SKU.matcher(sku).matches()) {
            throw ProblemTypes.INVALID_PARAMETER.exception("a SKU is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'")
                    .with("sku", sku);
        }
        ProductChange change = ProductChange.from(body);
        ProductAdministration.Outcome outcome = administration.put(sku, change.price(), change.onHand(), change.name());
        ProductView view = ProductView.of(outcome.product());
        return outcome.created() ? ResponseEntity.created(URI.create("/products/" + sku)).body(view) : ResponseEntity.ok(view);
    }
}
