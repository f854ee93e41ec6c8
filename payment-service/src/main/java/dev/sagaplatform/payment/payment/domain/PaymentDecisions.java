package dev.sagaplatform.payment.payment.domain;

import dev.sagaplatform.contracts.RejectionReason;
import java.math.BigDecimal;

/**
 * The payment participant's decisions, as plain functions of what is known: the same rules serve the
 * choreographed flow (events) and the orchestrated one (commands), and are tested without Spring.
 */
public final class PaymentDecisions {

    private PaymentDecisions() {
    }

    /**
     * @param existing        this order's payment status, or {@code null} if none was recorded
     * @param availableCredit the customer's available credit, or {@code null} if the customer is unknown
     */
    public static Authorization authorize(PaymentStatus existing, BigDecimal availableCredit, BigDecimal amount) {
        if (existing != null) {
            return new Authorization.AlreadyDecided(existing);
        }
        if (availableCredit == null) {
            return new Authorization.Decline(RejectionReason.PAYMENT_FAILED, "unknown customer");
        }
        if (amount == null || amount.signum() <= 0) {
            return new Authorization.Decline(RejectionReason.PAYMENT_FAILED, "amount must be positive, was " + amount);
        }
        if (availableCredit.compareTo(amount) < 0) {
            return new Authorization.Decline(RejectionReason.INSUFFICIENT_CREDIT,
                    "order total " + amount.toPlainString() + " exceeds available credit " + availableCredit.toPlainString());
        }
        return new Authorization.Charge();
    }

    /** @param existing this order's payment status, or {@code null} if none was recorded */
    public static Refund refund(PaymentStatus existing) {
        if (existing == null) {
            return Refund.VOID_BEFORE_CHARGE;
        }
        return switch (existing) {
            case AUTHORIZED -> Refund.REFUND;
            case REFUNDED -> Refund.ALREADY_REFUNDED;
            case DECLINED, VOIDED -> Refund.NOTHING_TO_REFUND;
        };
    }

    public sealed interface Authorization {

        /** Credit suffices: charge at the gateway, then debit. */
        record Charge() implements Authorization {
        }

        record Decline(RejectionReason reason, String detail) implements Authorization {
        }

        /** A second request for an order already decided: answer with the stored outcome. */
        record AlreadyDecided(PaymentStatus status) implements Authorization {
        }
    }

    public enum Refund {
        /** Give the money back at the gateway and restore the credit. */
        REFUND,
        /** Nothing was authorized yet: void the gateway key and remember, so a late authorization declines. */
        VOID_BEFORE_CHARGE,
        ALREADY_REFUNDED,
        NOTHING_TO_REFUND
    }
}
