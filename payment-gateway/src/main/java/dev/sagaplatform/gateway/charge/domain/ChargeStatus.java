package dev.sagaplatform.gateway.charge.domain;

public enum ChargeStatus {
    CAPTURED,
    PARTIALLY_REFUNDED,
    REFUNDED
}
