package dev.sagaplatform.payment.payment.domain;

/** Where one order's payment stands. Terminal states never change back. */
public enum PaymentStatus {
    /** Charged at the gateway and debited from the customer's credit. */
    AUTHORIZED,
    /** Not charged: insufficient credit or the gateway refused. */
    DECLINED,
    /** Was authorized, then given back (gateway refund and credit restored). */
    REFUNDED,
    /** Compensated before any authorization arrived: a late authorization must not charge. */
    VOIDED
}
