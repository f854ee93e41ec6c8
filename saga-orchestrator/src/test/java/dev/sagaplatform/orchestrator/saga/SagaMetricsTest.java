package dev.sagaplatform.orchestrator.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.persistence.SagaRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live-state gauges read what the repository counts: zero when nothing is in flight, NaN only when it cannot count. */
class SagaMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SagaRepository sagas = mock(SagaRepository.class);

    @Test
    void noLiveSagaIsZeroNotUnknown() {
        when(sagas.countLiveByState(any())).thenReturn(Map.of());
        new SagaMetrics(registry, sagas);

        assertThat(registry.get("saga.instances").tag("state", "STARTED").gauge().value()).isZero();
        assertThat(registry.get("saga.stuck").gauge().value()).isZero();
    }

    @Test
    void countsEachLiveState() {
        when(sagas.countLiveByState(any())).thenReturn(Map.of(SagaState.STUCK, 2L, SagaState.STARTED, 5L));
        new SagaMetrics(registry, sagas);

        assertThat(registry.get("saga.instances").tag("state", "STARTED").gauge().value()).isEqualTo(5);
        assertThat(registry.get("saga.instances").tag("state", "COMPENSATING").gauge().value()).isZero();
        assertThat(registry.get("saga.stuck").gauge().value()).isEqualTo(2);
    }

    @Test
    void aDatabaseOutageIsUnknown() {
        when(sagas.countLiveByState(any())).thenThrow(new org.springframework.dao.DataAccessResourceFailureException("away"));
        new SagaMetrics(registry, sagas);

        assertThat(registry.get("saga.stuck").gauge().value()).isNaN();
    }
}
