package dev.sagaplatform.payment.payment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.payment.payment.domain.PaymentDecisions.Authorization;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PaymentDecisionsTest {

    @Test
    void chargesWhenCreditCoversTheAmountExactly() {
        assertThat(PaymentDecisions.authorize(null, new BigDecimal("10.00"), new BigDecimal("10.00")))
                .isInstanceOf(Authorization.Charge.class);
    }

    @Test
    void declinesForInsufficientCreditNamingBothAmounts() {
        var decision = PaymentDecisions.authorize(null, new BigDecimal("9.99"), new BigDecimal("10.00"));

        assertThat(decision).isEqualTo(new Authorization.Decline(RejectionReason.INSUFFICIENT_CREDIT,
                "order total 10.00 exceeds available credit 9.99"));
    }

    @Test
    void declinesAnUnknownCustomerAsAPaymentFailure() {
        assertThat(PaymentDecisions.authorize(null, null, BigDecimal.ONE))
                .isEqualTo(new Authorization.Decline(RejectionReason.PAYMENT_FAILED, "unknown customer"));
    }

    @Test
    void declinesANonPositiveAmount() {
        assertThat(PaymentDecisions.authorize(null, BigDecimal.TEN, BigDecimal.ZERO))
                .isInstanceOf(Authorization.Decline.class);
    }

    @Test
    void anOrderAlreadyDecidedKeepsItsFirstOutcome() {
        for (PaymentStatus status : PaymentStatus.values()) {
            assertThat(PaymentDecisions.authorize(status, BigDecimal.TEN, BigDecimal.ONE))
                    .isEqualTo(new Authorization.AlreadyDecided(status));
        }
    }

    @Test
    void refundsOnlyAnAuthorizedPaymentAndVoidsWhenNothingWasAuthorized() {
        assertThat(PaymentDecisions.refund(PaymentStatus.AUTHORIZED)).isEqualTo(PaymentDecisions.Refund.REFUND);
        assertThat(PaymentDecisions.refund(null)).isEqualTo(PaymentDecisions.Refund.VOID_BEFORE_CHARGE);
        assertThat(PaymentDecisions.refund(PaymentStatus.REFUNDED)).isEqualTo(PaymentDecisions.Refund.ALREADY_REFUNDED);
        assertThat(PaymentDecisions.refund(PaymentStatus.DECLINED)).isEqualTo(PaymentDecisions.Refund.NOTHING_TO_REFUND);
        assertThat(PaymentDecisions.refund(PaymentStatus.VOIDED)).isEqualTo(PaymentDecisions.Refund.NOTHING_TO_REFUND);
    }
}
