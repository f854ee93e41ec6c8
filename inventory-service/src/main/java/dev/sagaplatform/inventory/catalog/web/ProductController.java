package dev.sagaplatform.inventory.catalog.web;

import dev.sagaplatform.inventory.catalog.persistence.ProductRepository;
import java.net.URI;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catalogue: prices and stock. Open to everyone, it is a demo shop. */
@RestController
@RequestMapping("/products")
class ProductController {

    static final URI UNKNOWN_SKU = URI.create("https://saga-platform.dev/problems/unknown-sku");

    private final ProductRepository products;

    ProductController(ProductRepository products) {
        this.products = products;
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

    @ExceptionHandler
    ProblemDetail unknownSku(UnknownSkuException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no product with sku " + e.sku);
        problem.setType(UNKNOWN_SKU);
        problem.setTitle("Unknown SKU");
        problem.setProperty("sku", e.sku);
        return problem;
    }

    static final class UnknownSkuException extends RuntimeException {

        private final String sku;

        UnknownSkuException(String sku) {
            super("unknown sku " + sku, null, false, false);
            this.sku = sku;
        }
    }
}
