package dev.sagaplatform.order.orders.web;

import java.util.Map;

/** A client mistake found by the web layer, answered as the given problem. */
class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final transient Map<String, Object> properties;

    ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    ProblemException(ProblemType type, String detail, Map<String, Object> properties) {
        super(detail);
        this.type = type;
        this.properties = Map.copyOf(properties);
    }

    ProblemType type() {
        return type;
    }

    Map<String, Object> properties() {
        return properties;
    }
}
