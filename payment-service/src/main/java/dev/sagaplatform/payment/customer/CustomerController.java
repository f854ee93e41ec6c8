package dev.sagaplatform.payment.customer;

import java.math.BigDecimal;
import java.net.URI;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CustomerController {

    private final CustomerRepository customers;

    CustomerController(CustomerRepository customers) {
        this.customers = customers;
    }

    @GetMapping("/customers")
    Page<CustomerView> list(@PageableDefault(size = 50, sort = "customerId", direction = Sort.Direction.ASC) Pageable pageable) {
        return customers.findAll(pageable).map(CustomerView::of);
    }

    @GetMapping("/customers/{customerId}")
    CustomerView get(@PathVariable String customerId) {
        return customers.findById(customerId).map(CustomerView::of).orElseThrow(() -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no customer '" + customerId + "'");
            problem.setType(URI.create("https://saga-platform.dev/problems/unknown-customer"));
            problem.setTitle("Unknown customer");
            return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        });
    }

    record CustomerView(String customerId, String name, BigDecimal creditLimit, BigDecimal availableCredit) {
        static CustomerView of(Customer customer) {
            return new CustomerView(customer.customerId(), customer.name(), customer.creditLimit(), customer.availableCredit());
        }
    }
}
