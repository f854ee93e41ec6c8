package dev.sagaplatform.invariants;

import java.util.List;

/**
 * One broken invariant: which one (its number in DESIGN.md's list), what is wrong in a sentence, and
 * the orders and rows involved so that an operator can look at them.
 */
public record Violation(int invariant, String message, List<String> orderIds, List<String> rows) {

    public Violation {
        orderIds = List.copyOf(orderIds);
        rows = List.copyOf(rows);
    }

    static Violation of(int invariant, String message, String... orderIds) {
        return new Violation(invariant, message, List.of(orderIds), List.of());
    }

    @Override
    public String toString() {
        return "[" + invariant + "] " + message;
    }
}
