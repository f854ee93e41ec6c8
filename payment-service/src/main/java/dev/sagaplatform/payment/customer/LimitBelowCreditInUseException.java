package dev.sagaplatform.payment.customer;

import java.math.BigDecimal;

/** A credit limit cannot go below what the customer's authorized orders already hold. */
public class LimitBelowCreditInUseException extends RuntimeException {

    private final BigDecimal creditInUse;

    LimitBelowCreditInUseException(String customerId, BigDecimal newLimit, BigDecimal creditInUse) {
        super("customer " + customerId + " has " + creditInUse.toPlainString() + " of credit in use by authorized orders; "
                + "the limit cannot go below it (asked for " + newLimit.toPlainString() + ")", null, false, false);
        this.creditInUse = creditInUse;
    }

    public BigDecimal creditInUse() {
        return creditInUse;
    }
}
