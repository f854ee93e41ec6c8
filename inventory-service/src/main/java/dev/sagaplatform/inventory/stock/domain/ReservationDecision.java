package dev.sagaplatform.inventory.stock.domain;

import dev.sagaplatform.contracts.RejectionReason;
import java.util.List;
import java.util.Objects;

/** The answer to "reserve this order's lines": all of them, or none with a reason. */
public sealed interface ReservationDecision {

    /**
     * Every line is reserved.
     *
     * @param lines one line per SKU (duplicates summed), in SKU order: what to take from stock
     */
    record Reserved(List<RequestedLine> lines) implements ReservationDecision {

        public Reserved {
            lines = List.copyOf(Objects.requireNonNull(lines, "lines must not be null"));
        }
    }

    /** Nothing is reserved. */
    record Rejected(RejectionReason reason, String detail) implements ReservationDecision {

        public Rejected {
            Objects.requireNonNull(reason, "reason must not be null");
            Objects.requireNonNull(detail, "detail must not be null");
        }
    }
}
