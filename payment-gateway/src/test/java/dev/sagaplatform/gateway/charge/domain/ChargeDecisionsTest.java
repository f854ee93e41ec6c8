package dev.sagaplatform.gateway.charge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChargeDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final UUID ORDER = UUID.fromString("11111111-1111-1111-1111-111111111111");

    private final ChargeRequest request = new ChargeRequest("charge-1", ORDER, "alice", new BigDecimal("12.5"));

    private Charge stored(String amount, String refunded) {
        return new Charge(UUID.randomUUID(), "charge-1", ORDER, "alice", new BigDecimal(amount), new BigDecimal(refunded), NOW);
    }

    @Test
    void capturesANewChargeWithTheAmountInWholeCents() {
        UUID id = UUID.randomUUID();

        ChargeOutcome outcome = ChargeDecisions.charge(request, Optional.empty(), false, id, NOW);

        assertThat(outcome.replay()).isFalse();
        assertThat(outcome.charge().chargeId()).isEqualTo(id);
        assertThat(outcome.charge().amount()).isEqualTo(new BigDecimal("12.50"));
        assertThat(outcome.charge().status()).isEqualTo(ChargeStatus.CAPTURED);
    }

    @Test
    void replaysTheStoredChargeForTheSameRequest() {
        Charge existing = stored("12.50", "0.00");

        ChargeOutcome outcome = ChargeDecisions.charge(request, Optional.of(existing), false, UUID.randomUUID(), NOW);

        assertThat(outcome).isEqualTo(new ChargeOutcome(existing, true));
    }

    @Test
    void refusesTheKeyForADifferentCharge() {
        Charge existing = stored("12.51", "0.00");

        assertThatThrownBy(() -> ChargeDecisions.charge(request, Optional.of(existing), false, UUID.randomUUID(), NOW))
                .isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void refusesAChargeWhoseKeyWasVoided() {
        assertThatThrownBy(() -> ChargeDecisions.charge(request, Optional.empty(), true, UUID.randomUUID(), NOW))
                .isInstanceOf(ChargeVoidedException.class);
    }

    @Test
    void refundWithoutAChargeVoidsTheKeyAndMovesNoMoney() {
        RefundRequest refund = new RefundRequest("refund-1", "charge-1", new BigDecimal("12.50"));

        RefundOutcome outcome = ChargeDecisions.refund(refund, Optional.empty(), Optional.empty(), UUID.randomUUID(), NOW);

        assertThat(outcome.refund().status()).isEqualTo(RefundStatus.VOIDED);
        assertThat(outcome.refund().chargeId()).isNull();
        assertThat(outcome.chargeAfterRefund()).isNull();
    }

    @Test
    void partialThenFullRefundMovesTheChargeThroughItsStatuses() {
        Charge charge = stored("12.50", "0.00");

        RefundOutcome partial = ChargeDecisions.refund(new RefundRequest("refund-1", "charge-1", new BigDecimal("2.50")),
                Optional.empty(), Optional.of(charge), UUID.randomUUID(), NOW);
        RefundOutcome rest = ChargeDecisions.refund(new RefundRequest("refund-2", "charge-1", new BigDecimal("10")),
                Optional.empty(), Optional.of(partial.chargeAfterRefund()), UUID.randomUUID(), NOW);

        assertThat(partial.chargeAfterRefund().status()).isEqualTo(ChargeStatus.PARTIALLY_REFUNDED);
        assertThat(partial.chargeAfterRefund().remainingAmount()).isEqualByComparingTo("10.00");
        assertThat(rest.chargeAfterRefund().status()).isEqualTo(ChargeStatus.REFUNDED);
        assertThat(rest.refund().chargeId()).isEqualTo(charge.chargeId());
    }

    @Test
    void refusesARefundBeyondWhatIsLeft() {
        Charge charge = stored("12.50", "10.00");

        assertThatThrownBy(() -> ChargeDecisions.refund(new RefundRequest("refund-2", "charge-1", new BigDecimal("2.51")),
                Optional.empty(), Optional.of(charge), UUID.randomUUID(), NOW))
                .isInstanceOf(RefundExceedsChargeException.class)
                .hasMessageContaining("2.50 left");
    }

    @Test
    void replaysAStoredRefundAndRefusesItsKeyForAnotherAmount() {
        Refund stored = new Refund(UUID.randomUUID(), "refund-1", "charge-1", null, new BigDecimal("3.00"), RefundStatus.VOIDED, NOW);

        RefundOutcome replay = ChargeDecisions.refund(new RefundRequest("refund-1", "charge-1", new BigDecimal("3")),
                Optional.of(stored), Optional.empty(), UUID.randomUUID(), NOW);

        assertThat(replay).isEqualTo(new RefundOutcome(stored, null, true));
        assertThatThrownBy(() -> ChargeDecisions.refund(new RefundRequest("refund-1", "charge-1", new BigDecimal("4")),
                Optional.of(stored), Optional.empty(), UUID.randomUUID(), NOW))
                .isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void requestsRejectAmountsThatAreNotPositiveWholeCents() {
        assertThatThrownBy(() -> new ChargeRequest("k", ORDER, "alice", new BigDecimal("0"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChargeRequest("k", ORDER, "alice", new BigDecimal("1.001"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChargeRequest("k", ORDER, "alice", new BigDecimal("1.000")).amount()).isEqualTo(new BigDecimal("1.00"));
    }
}
