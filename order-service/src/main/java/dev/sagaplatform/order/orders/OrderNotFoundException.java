package dev.sagaplatform.order.orders;

import java.util.UUID;

public class OrderNotFoundException extends RuntimeException {

    public OrderNotFoundException(UUID orderId) {
        super("order " + orderId + " does not exist");
    }
}
