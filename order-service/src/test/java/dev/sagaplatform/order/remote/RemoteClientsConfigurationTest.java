package dev.sagaplatform.order.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerConfigurationProperties;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.monitoring.health.CircuitBreakersHealthIndicator;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.web.client.RestClient;

/**
 * The clients as the service wires them, with its own {@code application.yml} and Resilience4j's starter: which
 * breakers exist for one URL and for several, and that every instance's breaker has the dependency's YAML
 * settings, its metrics and its place on the health page.
 */
class RemoteClientsConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class,
                    CircuitBreakerMetricsAutoConfiguration.class, RetryAutoConfiguration.class,
                    TimeLimiterAutoConfiguration.class, BulkheadAutoConfiguration.class))
            .withUserConfiguration(Clients.class);

    @Test
    void oneUrlPerDependencyKeepsOneBreakerEachNamedAfterTheDependency() {
        context.withPropertyValues("inventory.base-url=http://localhost:8083", "payment.base-url=http://localhost:8082")
                .run(started -> assertThat(started.getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers())
                        .extracting(CircuitBreaker::getName)
                        .containsExactlyInAnyOrder("inventory-service", "payment-service"));
    }

    @Test
    void severalUrlsGiveEachInstanceABreakerWithTheDependencysSettingsMetricsAndHealth() {
        context.withPropertyValues("inventory.base-url=http://localhost:8083,http://localhost:8183",
                        "resilience4j.circuitbreaker.instances.inventory-service.sliding-window-size=7")
                .run(started -> {
                    CircuitBreakerRegistry breakers = started.getBean(CircuitBreakerRegistry.class);
                    assertThat(breakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
                            .containsExactlyInAnyOrder("inventory-service", "inventory-service@localhost:8183", "payment-service");
                    CircuitBreaker second = breakers.circuitBreaker("inventory-service@localhost:8183");
                    assertThat(second.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(7);
                    assertThat(second.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
                            .as("the rest from configs.default").isEqualTo(5000L);
                    // One retry and one bulkhead for the dependency, whatever the number of instances.
                    assertThat(started.getBean(RetryRegistry.class).getAllRetries()).extracting(r -> r.getName())
                            .contains("inventory-service").doesNotContain("inventory-service@localhost:8183");
                    assertThat(started.getBean(ThreadPoolBulkheadRegistry.class).getAllBulkheads())
                            .extracting(b -> b.getName()).containsExactlyInAnyOrder("inventory-service", "payment-service");

                    assertThat(started.getBean(MeterRegistry.class).find("resilience4j.circuitbreaker.state")
                            .tag("name", "inventory-service@localhost:8183").tag("state", "closed").gauge().value())
                            .isEqualTo(1.0);
                    var health = new CircuitBreakersHealthIndicator(breakers,
                            started.getBean(CircuitBreakerConfigurationProperties.class), StatusAggregator.getDefault()).health();
                    assertThat(health.getDetails()).containsKeys("inventory-service", "inventory-service@localhost:8183");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({InventoryServiceProperties.class, PaymentServiceProperties.class})
    @Import(RemoteClientsConfiguration.class)
    static class Clients {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        // As Boot's: a prototype, so each client gets its own.
        @Bean
        @Scope("prototype")
        RestClient.Builder restClientBuilder() {
            return RestClient.builder();
        }
    }
}
