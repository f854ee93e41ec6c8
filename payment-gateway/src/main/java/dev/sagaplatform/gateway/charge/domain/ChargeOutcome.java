package dev.sagaplatform.gateway.charge.domain;

/** The charge to answer with; when {@code replay} is false it is new and must be stored. */
public record ChargeOutcome(Charge charge, boolean replay) {
}
