package dev.sagaplatform.order.orders;

import java.util.List;

public class UnknownSkuException extends RuntimeException {

    private final List<String> skus;

    public UnknownSkuException(List<String> skus) {
        super("unknown SKU(s): " + String.join(", ", skus));
        this.skus = List.copyOf(skus);
    }

    public List<String> skus() {
        return skus;
    }
}
