package dev.sagaplatform.order.orders;

/** Whether a customer exists, asked at placement; {@link dev.sagaplatform.order.remote.CustomerDirectory} in production. */
public interface CustomerCheck {

    /**
     * @throws dev.sagaplatform.order.remote.DependencyUnavailableException when the answer cannot be had
     */
    boolean exists(String customerId);
}
