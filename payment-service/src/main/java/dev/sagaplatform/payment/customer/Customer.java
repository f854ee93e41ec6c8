package dev.sagaplatform.payment.customer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;

@Entity
@Table(name = "customer")
public class Customer {

    @Id
    @Column(name = "customer_id")
    private String customerId;

    private String name;

    @Column(name = "credit_limit")
    private BigDecimal creditLimit;

    @Column(name = "available_credit")
    private BigDecimal availableCredit;

    @Version
    private long version;

    protected Customer() {
    }

    public Customer(String customerId, String name, BigDecimal creditLimit) {
        this.customerId = customerId;
        this.name = name;
        this.creditLimit = creditLimit;
        this.availableCredit = creditLimit;
    }

    public void debit(BigDecimal amount) {
        if (availableCredit.compareTo(amount) < 0) {
            throw new IllegalStateException("customer " + customerId + " cannot be debited " + amount
                    + " with available credit " + availableCredit);
        }
        availableCredit = availableCredit.subtract(amount);
    }

    /** @throws CreditBeyondLimitException and changes nothing when more would come back than is in use */
    public void credit(BigDecimal amount) {
        if (amount.compareTo(creditInUse()) > 0) {
            throw new CreditBeyondLimitException(customerId, amount, creditInUse());
        }
        availableCredit = availableCredit.add(amount);
    }

    /**
     * Available credit moves by the same amount as the limit, so the credit in use (what the customer's
     * authorized orders hold) stays what it was and the money invariant keeps holding.
     *
     * @throws LimitBelowCreditInUseException and changes nothing when the new limit is below the credit in use
     */
    public void changeLimit(BigDecimal newLimit) {
        BigDecimal inUse = creditInUse();
        if (newLimit.compareTo(inUse) < 0) {
            throw new LimitBelowCreditInUseException(customerId, newLimit, inUse);
        }
        availableCredit = newLimit.subtract(inUse);
        creditLimit = newLimit;
    }

    public void rename(String newName) {
        name = newName;
    }

    public BigDecimal creditInUse() {
        return creditLimit.subtract(availableCredit);
    }

    public String customerId() {
        return customerId;
    }

    public String name() {
        return name;
    }

    public BigDecimal creditLimit() {
        return creditLimit;
    }

    public BigDecimal availableCredit() {
        return availableCredit;
    }
}
