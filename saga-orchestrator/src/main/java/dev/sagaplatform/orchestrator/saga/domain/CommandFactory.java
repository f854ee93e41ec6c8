package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.saga.SagaCommand;

/** Builds the command of one step (or of its compensation) from the saga's data. */
@FunctionalInterface
public interface CommandFactory<D extends SagaData> {

    SagaCommand create(CommandContext<D> context);
}
