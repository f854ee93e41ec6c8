package dev.sagaplatform.gateway.charge;

import dev.sagaplatform.gateway.charge.domain.ChargeOutcome;
import dev.sagaplatform.gateway.charge.domain.ChargeRefusedException;
import dev.sagaplatform.gateway.charge.domain.ChargeVoidedException;
import dev.sagaplatform.gateway.charge.domain.IdempotencyKeyReusedException;
import dev.sagaplatform.gateway.charge.domain.RefundOutcome;
import dev.sagaplatform.gateway.charge.domain.RefundStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway_charges_total{outcome}} and {@code gateway_refunds_total{outcome}}. Every outcome is
 * registered up front so that dashboards and chaos checks see zeros rather than missing series.
 */
final class GatewayMetrics {

    private final Counter chargesCaptured;
    private final Counter chargesReplayed;
    private final Counter chargesRefusedVoided;
    private final Counter chargesRefusedKeyReused;
    private final Counter refundsRefunded;
    private final Counter refundsVoided;
    private final Counter refundsReplayed;
    private final Counter refundsRefusedExceeds;
    private final Counter refundsRefusedKeyReused;

    GatewayMetrics(MeterRegistry registry) {
        chargesCaptured = charges(registry, "captured");
        chargesReplayed = charges(registry, "replayed");
        chargesRefusedVoided = charges(registry, "refused-voided");
        chargesRefusedKeyReused = charges(registry, "refused-key-reused");
        refundsRefunded = refunds(registry, "refunded");
        refundsVoided = refunds(registry, "voided");
        refundsReplayed = refunds(registry, "replayed");
        refundsRefusedExceeds = refunds(registry, "refused-exceeds-charge");
        refundsRefusedKeyReused = refunds(registry, "refused-key-reused");
    }

    void charged(ChargeOutcome outcome) {
        (outcome.replay() ? chargesReplayed : chargesCaptured).increment();
    }

    void chargeRefused(ChargeRefusedException refusal) {
        if (refusal instanceof ChargeVoidedException) {
            chargesRefusedVoided.increment();
        }
        else if (refusal instanceof IdempotencyKeyReusedException) {
            chargesRefusedKeyReused.increment();
        }
    }

    void refunded(RefundOutcome outcome) {
        if (outcome.replay()) {
            refundsReplayed.increment();
        }
        else {
            (outcome.refund().status() == RefundStatus.VOIDED ? refundsVoided : refundsRefunded).increment();
        }
    }

    void refundRefused(ChargeRefusedException refusal) {
        (refusal instanceof IdempotencyKeyReusedException ? refundsRefusedKeyReused : refundsRefusedExceeds).increment();
    }

    private static Counter charges(MeterRegistry registry, String outcome) {
        return Counter.builder("gateway.charges").description("Charge requests by outcome").tag("outcome", outcome).register(registry);
    }

    private static Counter refunds(MeterRegistry registry, String outcome) {
        return Counter.builder("gateway.refunds").description("Refund requests by outcome").tag("outcome", outcome).register(registry);
    }
}
