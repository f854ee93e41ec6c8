package dev.sagaplatform.order.orders.domain;

import java.util.List;

/**
 * A SKU appears on more than one line. Refused rather than merged, because a client that sends
 * the same SKU twice has most likely made a mistake the shop cannot guess the fix for.
 */
public class DuplicateSkuException extends RuntimeException {

    private final List<String> skus;

    public DuplicateSkuException(List<String> skus) {
        super("SKU(s) listed on more than one line: " + String.join(", ", skus));
        this.skus = List.copyOf(skus);
    }

    public List<String> skus() {
        return skus;
    }
}
