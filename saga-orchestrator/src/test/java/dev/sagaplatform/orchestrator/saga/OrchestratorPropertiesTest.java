package dev.sagaplatform.orchestrator.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Bad timing settings stop the application at start-up with a message that names the property. */
class OrchestratorPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void defaultsAreUsableAsTheyAre() {
        runner.run(context -> {
            OrchestratorProperties properties = context.getBean(OrchestratorProperties.class);
            assertThat(properties.stepTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.retryPolicy().maxAttempts()).isEqualTo(10);
            assertThat(properties.poller().interval()).isEqualTo(Duration.ofMillis(500));
        });
    }

    @Test
    void aMaxBackoffBelowTheInitialBackoffIsRefused() {
        runner.withPropertyValues("orchestrator.compensation.initial-backoff=5s", "orchestrator.compensation.max-backoff=1s")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining(
                        "orchestrator.compensation.initial-backoff must be positive and max-backoff >= initial-backoff"));
    }

    @Test
    void aZeroBudgetAndAnOutOfRangeJitterAreRefused() {
        runner.withPropertyValues("orchestrator.compensation.max-attempts=0", "orchestrator.compensation.jitter=1.5")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("compensation.maxAttempts")
                        .hasMessageContaining("compensation.jitter"));
    }

    @Test
    void aStepTimeoutTooShortForAnyRoundTripIsRefused() {
        runner.withPropertyValues("orchestrator.step-timeout=10ms")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("orchestrator.step-timeout must be at least 100ms"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OrchestratorProperties.class)
    static class Settings {
    }
}
