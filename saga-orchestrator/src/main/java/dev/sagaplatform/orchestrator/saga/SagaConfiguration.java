package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.orchestrator.saga.domain.OrderSaga;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.SagaStateMachine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrchestratorProperties.class)
class SagaConfiguration {

    @Bean
    SagaStateMachine<OrderSagaData> orderSagaStateMachine(OrchestratorProperties properties, PlantedBugs bugs) {
        return new SagaStateMachine<>(OrderSaga.DEFINITION, properties.retryPolicy(),
                bugs.has(PlantedBug.LATE_REPLY_TAKES_EFFECT));
    }
}
