package dev.sagaplatform.payment.customer;

import dev.sagaplatform.web.paging.Paging;
import dev.sagaplatform.web.problem.ProblemType;
import dev.sagaplatform.web.problem.ProblemTypes;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import java.net.URI;
import java.util.regex.Pattern;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
class CustomerController {

    /** 404 here; order-service answers an order for an unknown customer with the same type as a 422. */
    static final ProblemType UNKNOWN_CUSTOMER = ProblemType.of("unknown-customer", HttpStatus.NOT_FOUND, "Unknown customer");
    static final ProblemType LIMIT_BELOW_CREDIT_IN_USE =
            ProblemType.of("limit-below-credit-in-use", HttpStatus.UNPROCESSABLE_CONTENT, "Credit limit below credit in use");
    static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final CustomerRepository customers;
    private final CustomerAdministration administration;

    CustomerController(CustomerRepository customers, CustomerAdministration administration) {
        this.customers = customers;
        this.administration = administration;
    }

    @GetMapping("/customers")
    PagedModel<CustomerView> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return new PagedModel<>(customers.findAll(Paging.pageable(page, size, Sort.by("customerId"))).map(CustomerView::of));
    }

    @ApiResponse(responseCode = "200", description = "the customer", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "unknown-customer")
    @GetMapping("/customers/{customerId}")
    CustomerView get(@PathVariable String customerId) {
        return customers.findById(customerId).map(CustomerView::of).orElseThrow(() ->
                UNKNOWN_CUSTOMER.exception("no customer '" + customerId + "'"));
    }

    /**
     * Admin (see security): creates the customer with all its credit available (201), or sets a new
     * limit (200) that moves the available credit by the same amount.
     */
    @ApiResponse(responseCode = "201", description = "created with all its credit available", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "a new limit; available credit moved by the same amount", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "limit-below-credit-in-use")
    @PutMapping(path = "/customers/{customerId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CustomerView> put(@PathVariable String customerId, @RequestBody JsonNode body) {
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw ProblemTypes.INVALID_PARAMETER.exception("a customer id is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'")
                    .with("customerId", customerId);
        }
        CreditLimitChange change = CreditLimitChange.from(body);
        try {
            CustomerAdministration.Outcome outcome = administration.put(customerId, change);
            CustomerView view = CustomerView.of(outcome.customer());
            return outcome.created()
                    ? ResponseEntity.created(URI.create("/customers/" + customerId)).body(view)
                    : ResponseEntity.ok(view);
        } catch (LimitBelowCreditInUseException e) {
            throw LIMIT_BELOW_CREDIT_IN_USE.exception(e.getMessage()).with("creditInUse", e.creditInUse());
        }
    }

    record CustomerView(String customerId, String name, BigDecimal creditLimit, BigDecimal availableCredit) {
        static CustomerView of(Customer customer) {
            return new CustomerView(customer.customerId(), customer.name(), customer.creditLimit(), customer.availableCredit());
        }
    }
}
