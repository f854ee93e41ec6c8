package dev.sagaplatform.payment.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CustomerTest {

    @Test
    void creditGivesBackWhatWasDebited() {
        Customer customer = new Customer("carol", "Carol", new BigDecimal("100.00"));
        customer.debit(new BigDecimal("30.00"));
        customer.credit(new BigDecimal("30.00"));
        assertThat(customer.availableCredit()).isEqualByComparingTo("100.00");
    }

    /** Capping it at the limit would hide a double refund; the money invariant must fail loudly instead. */
    @Test
    void creditingMoreThanIsInUseIsRefusedAndChangesNothing() {
        Customer customer = new Customer("carol", "Carol", new BigDecimal("100.00"));
        customer.debit(new BigDecimal("30.00"));
        customer.credit(new BigDecimal("30.00"));
        assertThatThrownBy(() -> customer.credit(new BigDecimal("30.00")))
                .isInstanceOf(CreditBeyondLimitException.class)
                .hasMessageContaining("carol").hasMessageContaining("30.00").hasMessageContaining("0.00 in use");
        assertThat(customer.availableCredit()).isEqualByComparingTo("100.00");
    }
}
