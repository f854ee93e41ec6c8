package dev.sagaplatform.simulator.services;

import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.orchestrator.saga.SagaMetrics;
import dev.sagaplatform.orchestrator.saga.SagaOrchestrator;
import dev.sagaplatform.orchestrator.saga.domain.OrderSaga;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.RetryPolicy;
import dev.sagaplatform.orchestrator.saga.domain.SagaStateMachine;
import dev.sagaplatform.orchestrator.saga.messaging.SagaSubscription;
import dev.sagaplatform.simulator.adapters.InMemorySagaStore;
import dev.sagaplatform.simulator.node.Node;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.world.World;
import java.time.Duration;

/**
 * saga-orchestrator in the simulated world: the real {@link SagaOrchestrator} and state machine with the order saga,
 * its real subscription, and its deadline poller's loop (claim the next due saga, move it on, each in its own
 * transaction) on a timer.
 */
public final class SimulatedOrchestrator {

    /** The orchestrator's defaults (application.yml): step timeout 10 s, compensations 1 s..30 s backoff, 10 sends. */
    public static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofSeconds(30), 10, 0.2);
    static final long POLL_INTERVAL_MICROS = 500_000;
    /** DeadlinePoller's batch: sagas moved on per look. */
    static final int POLL_BATCH = 100;

    private final Database database;
    private final InMemorySagaStore sagas;
    private final SagaOrchestrator orchestrator;
    private final Node node;

    public SimulatedOrchestrator(World world) {
        this.database = world.database("saga-orchestrator");
        this.sagas = new InMemorySagaStore(database);
        SagaStateMachine<OrderSagaData> machine = new SagaStateMachine<>(OrderSaga.DEFINITION, POLICY,
                world.bugs().has(PlantedBug.LATE_REPLY_TAKES_EFFECT));
        // What KafkaParticipantQueues reads from consumer-group lag: here the simulated groups' own lag.
        this.orchestrator = new SagaOrchestrator(machine, sagas, world.outbox(database), new SagaMetrics(world.meters(), sagas),
                world.clock(), (commandType, waited) -> world.backlogOf(commandType, waited), world.random());
        this.node = world.node("saga-orchestrator", database, SagaSubscription.subscription(orchestrator));
        node.every(POLL_INTERVAL_MICROS, "deadline poll", this::pollDeadlines);
    }

    private void pollDeadlines() {
        for (int handled = 0; handled < POLL_BATCH; handled++) {
            if (!database.inTransaction(orchestrator::handleNextDue)) {
                return;
            }
        }
    }

    public InMemorySagaStore sagas() {
        return sagas;
    }

    public Node node() {
        return node;
    }
}
