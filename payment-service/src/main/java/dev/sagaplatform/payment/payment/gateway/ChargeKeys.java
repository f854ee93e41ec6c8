package dev.sagaplatform.payment.payment.gateway;

import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The gateway idempotency keys of an order's money: one charge key and one refund key per order, whoever sends
 * and however often. That is what makes a retried charge, a redelivered authorization and a repeated refund
 * replays at the gateway instead of second movements of money.
 */
public final class ChargeKeys {

    private ChargeKeys() {
    }

    public static String charge(UUID orderId) {
        return "charge-" + orderId;
    }

    public static String refund(UUID orderId) {
        return "refund-" + orderId;
    }

    /**
     * The charge key of each attempt to charge the order, asked once per attempt sent to the gateway: always
     * {@link #charge(UUID)}, except with {@link PlantedBug#FRESH_CHARGE_KEY} switched on, where every attempt gets a
     * key of its own, so a retry after a lost answer charges again (the bug chaos tests and the simulator must catch).
     */
    public static Supplier<String> perAttempt(UUID orderId, PlantedBugs plantedBugs, IdGenerator ids) {
        if (plantedBugs.has(PlantedBug.FRESH_CHARGE_KEY)) {
            return () -> charge(orderId) + "-" + ids.next();
        }
        return () -> charge(orderId);
    }
}
