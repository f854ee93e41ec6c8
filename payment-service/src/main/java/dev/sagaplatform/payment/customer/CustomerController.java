package dev.sagaplatform.payment.customer;

import java.math.BigDecimal;
import java.net.URI;
import java.util.regex.Pattern;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
class CustomerController {

    static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final CustomerRepository customers;
    private final CustomerAdministration administration;

    CustomerController(CustomerRepository customers, CustomerAdministration administration) {
        this.customers = customers;
        this.administration = administration;
    }

    @GetMapping("/customers")
    Page<CustomerView> list(@PageableDefault(size = 50, sort = "customerId", direction = Sort.Direction.ASC) Pageable pageable) {
        return customers.findAll(pageable).map(CustomerView::of);
    }

    @GetMapping("/customers/{customerId}")
    CustomerView get(@PathVariable String customerId) {
        return customers.findById(customerId).map(CustomerView::of).orElseThrow(() ->
                CustomerProblem.UNKNOWN_CUSTOMER.exception("no customer '" + customerId + "'"));
    }

    /**
     * Admin (see security): creates the customer with all its credit available (201), or sets a new
     * limit (200) that moves the available credit by the same amount.
     */
    @PutMapping(path = "/customers/{customerId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CustomerView> put(@PathVariable String customerId, @RequestBody JsonNode body) {
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw CustomerProblem.INVALID_PARAMETER.exception("a customer id is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'",
                    "customerId", customerId);
        }
        CreditLimitChange change = CreditLimitChange.from(body);
        try {
            CustomerAdministration.Outcome outcome = administration.put(customerId, change);
            CustomerView view = CustomerView.of(outcome.customer());
            return outcome.created()
                    ? ResponseEntity.created(URI.create("/customers/" + customerId)).body(view)
                    : ResponseEntity.ok(view);
        } catch (LimitBelowCreditInUseException e) {
            throw CustomerProblem.LIMIT_BELOW_CREDIT_IN_USE.exception(e.getMessage(), "creditInUse", e.creditInUse());
        }
    }

    /** The body was missing, not JSON, or had something after the JSON value. */
    @ExceptionHandler
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return CustomerProblem.MALFORMED_JSON.exception("request body must be one JSON object like {\"creditLimit\": 1000.00}")
                .getBody();
    }

    record CustomerView(String customerId, String name, BigDecimal creditLimit, BigDecimal availableCredit) {
        static CustomerView of(Customer customer) {
            return new CustomerView(customer.customerId(), customer.name(), customer.creditLimit(), customer.availableCredit());
        }
    }
}
