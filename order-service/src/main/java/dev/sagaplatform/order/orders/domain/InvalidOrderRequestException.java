package dev.sagaplatform.order.orders.domain;

import java.util.List;

/** The request breaks one or more placement rules; nothing may be stored for it. */
public class InvalidOrderRequestException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidOrderRequestException(List<Violation> violations) {
        super(violations.size() + " invalid field(s): " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
