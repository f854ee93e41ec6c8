package dev.sagaplatform.order.orders;

public class UnknownCustomerException extends RuntimeException {

    private final String customerId;

    public UnknownCustomerException(String customerId) {
        super("customer '" + customerId + "' does not exist");
        this.customerId = customerId;
    }

    public String customerId() {
        return customerId;
    }
}
