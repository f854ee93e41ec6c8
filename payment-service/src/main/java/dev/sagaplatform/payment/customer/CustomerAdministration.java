package dev.sagaplatform.payment.customer;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates customers and changes their credit limits, for load runs and demos ({@code PUT /customers/{id}}). */
@Service
class CustomerAdministration {

    record Outcome(Customer customer, boolean created) {
    }

    private final CustomerRepository customers;

    CustomerAdministration(CustomerRepository customers) {
        this.customers = customers;
    }

    @Transactional
    Outcome put(String customerId, CreditLimitChange change) {
        String name = change.name() == null ? customerId : change.name();
        if (customers.insertIfAbsent(customerId, name, change.creditLimit()) == 1) {
            return new Outcome(customers.findById(customerId).orElseThrow(), true);
        }
        // The row lock every payment takes: no authorization or refund can move credit between the
        // check against the credit in use and the change.
        Customer customer = customers.findForUpdate(customerId).orElseThrow();
        customer.changeLimit(change.creditLimit());
        if (change.name() != null) {
            customer.rename(change.name());
        }
        return new Outcome(customer, false);
    }
}
