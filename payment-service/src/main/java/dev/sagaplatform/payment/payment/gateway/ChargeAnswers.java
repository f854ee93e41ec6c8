package dev.sagaplatform.payment.payment.gateway;

import java.util.UUID;

/** What payment-service makes of the gateway's answer to a charge, whoever carried it. */
public final class ChargeAnswers {

    private static final String CAPTURED = "CAPTURED";

    private ChargeAnswers() {
    }

    /**
     * @param chargeId the charge the gateway answered with (null if the answer named none)
     * @param status   the charge's status at the gateway, or null if the answer did not say
     * @return the charge id to record as this order's payment
     * @throws GatewayUnavailableException the answer names no charge: whether one exists is unknown
     * @throws GatewayRefusedException     a replay of a charge that has been refunded since (its answer lost on the way
     *                                     back, say): the money went back, so this order must not count it as paid
     */
    public static UUID paidCharge(UUID orderId, UUID chargeId, String status) {
        if (chargeId == null) {
            throw new GatewayUnavailableException("charge for order " + orderId + " returned no charge id", null);
        }
        if (status != null && !CAPTURED.equals(status)) {
            throw new GatewayRefusedException("charge for order " + orderId + " is " + status + " at the gateway", null);
        }
        return chargeId;
    }
}
