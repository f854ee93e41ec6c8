package dev.sagaplatform.payment.customer;

import java.util.Optional;

/** Customers' credit, as payments move it; {@link CustomerRepository} in production. */
public interface CustomerStore {

    /** The customer, locked until the transaction ends: serializes all money movements of one customer. */
    Optional<Customer> findForUpdate(String customerId);
}
