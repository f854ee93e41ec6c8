package dev.sagaplatform.order.orders.domain;

/** One broken rule of an order request, named by the JSON path of the offending field. */
public record Violation(String field, String message) {
}
