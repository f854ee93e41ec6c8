package dev.sagaplatform.payment.customer;

import java.math.BigDecimal;

/**
 * Money given back that was never taken: a refund larger than the credit the customer has in use. It can
 * only come from a bug such as a double refund, so it fails the transaction (and, after the consumer's
 * retries, lands on the dead-letter topic) instead of being capped quietly at the limit.
 */
public class CreditBeyondLimitException extends IllegalStateException {

    public CreditBeyondLimitException(String customerId, BigDecimal amount, BigDecimal inUse) {
        super("customer " + customerId + " cannot be credited " + amount + ": only " + inUse + " in use (a refund of money never"
                + " debited, e.g. a second refund of one order)");
    }
}
