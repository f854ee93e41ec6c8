package dev.sagaplatform.payment.payment.gateway;

import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayClientConfiguration {

    @Bean
    PaymentGatewayClient paymentGatewayClient(RestClient.Builder builder, GatewayProperties gateway,
                                              RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                              TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk().build(HttpClientSettings.defaults()
                .withConnectTimeout(gateway.connectTimeout()).withReadTimeout(gateway.readTimeout()));
        String name = GatewayResilience.NAME;
        return new PaymentGatewayClient(builder.baseUrl(gateway.baseUrl().toString()).requestFactory(requestFactory)
                        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + gateway.apiKey()).build(),
                new GatewayResilience(retries.retry(name), circuitBreakers.circuitBreaker(name),
                        timeLimiters.timeLimiter(name), bulkheads.bulkhead(name)));
    }

    /**
     * The chaos runner's deliberately broken build switches {@link PlantedBug#FRESH_CHARGE_KEY} on through
     * {@code payment.gateway.testing.fresh-charge-key-per-attempt}; otherwise no bug, as platform-messaging's default.
     */
    @Bean
    PlantedBugs plantedBugs(GatewayProperties gateway) {
        return gateway.testing().freshChargeKeyPerAttempt() ? PlantedBugs.of(List.of(PlantedBug.FRESH_CHARGE_KEY)) : PlantedBugs.NONE;
    }
}
