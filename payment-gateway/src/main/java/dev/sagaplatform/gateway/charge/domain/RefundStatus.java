package dev.sagaplatform.gateway.charge.domain;

public enum RefundStatus {
    /** Money went back against an existing charge. */
    REFUNDED,
    /** No charge existed yet: the charge key is now blocked instead, and no money moved. */
    VOIDED
}
