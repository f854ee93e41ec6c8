package dev.sagaplatform.orchestrator.saga.domain;

import java.util.UUID;

/** What a saga carries from its start to every command it sends; every saga here belongs to one order. */
public interface SagaData {

    UUID orderId();
}
