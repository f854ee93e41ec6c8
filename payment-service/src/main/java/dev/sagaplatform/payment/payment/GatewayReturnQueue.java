package dev.sagaplatform.payment.payment;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Money to give back at the gateway once the decision that needs it has committed; {@link GatewayReturns} records
 * it in {@code gateway_return} and sends it.
 */
public interface GatewayReturnQueue {

    /** What goes back: the refund of a charge, or the void of a key whose charge may or may not exist. */
    enum Kind { REFUND, VOID }

    /**
     * Records a return in the caller's transaction, to be sent after it commits (and forgotten if it rolls back). An
     * order has at most one return: a second one for the same order changes nothing, whatever its kind or amount.
     */
    void schedule(UUID orderId, Kind kind, BigDecimal amount);
}
