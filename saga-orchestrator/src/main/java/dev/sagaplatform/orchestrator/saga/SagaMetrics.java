package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.StepOutcome;
import dev.sagaplatform.orchestrator.saga.domain.Transition;
import dev.sagaplatform.orchestrator.saga.persistence.SagaRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Saga counters, fed from committed transitions only (a rolled-back decision counts nothing), and the
 * number of parked sagas, read from the table so that it is right across restarts and instances.
 */
@Component
class SagaMetrics {

    private static final Logger log = LoggerFactory.getLogger(SagaMetrics.class);

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter completed;
    private final Counter compensated;
    private final Counter parked;

    SagaMetrics(MeterRegistry registry, SagaRepository sagas) {
        this.registry = registry;
        this.started = Counter.builder("saga.started").description("Sagas started").register(registry);
        this.completed = Counter.builder("saga.completed").description("Sagas that approved their order").register(registry);
        this.compensated = Counter.builder("saga.compensated")
                .description("Sagas that undid their steps and rejected their order").register(registry);
        this.parked = Counter.builder("saga.parked").description("Times a saga was parked as STUCK").register(registry);
        Gauge.builder("saga.stuck", () -> countStuck(sagas))
                .description("Sagas parked as STUCK, waiting for an operator")
                .register(registry);
    }

    void record(Transition<?> transition) {
        if (transition.before() == null) {
            started.increment();
        }
        if (transition.reachedState(SagaState.COMPLETED)) {
            completed.increment();
        }
        if (transition.reachedState(SagaState.COMPENSATED)) {
            compensated.increment();
        }
        if (transition.reachedState(SagaState.STUCK)) {
            parked.increment();
        }
        for (HistoryEntry entry : transition.history()) {
            if (entry.outcome() == StepOutcome.TIMED_OUT) {
                registry.counter("saga.timeouts", "command", tag(entry.commandType())).increment();
            } else if (entry.outcome() == StepOutcome.RETRIED) {
                registry.counter("saga.retries", "command", tag(entry.commandType())).increment();
            } else if (entry.outcome() == StepOutcome.LATE_REPLY_IGNORED) {
                registry.counter("saga.replies.ignored", "command", tag(entry.commandType())).increment();
            }
        }
    }

    /** Command types of ignored replies come off the wire: only catalog names may become tag values. */
    private static String tag(String commandType) {
        return MessageCatalog.find(commandType).map(MessageType::name).orElse("unknown");
    }

    private static double countStuck(SagaRepository sagas) {
        try {
            return sagas.countByState(SagaState.STUCK);
        } catch (RuntimeException e) {
            // A scrape during a database outage must not fail the whole scrape.
            log.debug("could not count STUCK sagas: {}", e.toString());
            return Double.NaN;
        }
    }
}
