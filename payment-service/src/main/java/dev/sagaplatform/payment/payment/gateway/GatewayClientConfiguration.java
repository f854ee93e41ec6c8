package dev.sagaplatform.payment.payment.gateway;

import org.springframework.http.HttpHeaders;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
                        timeLimiters.timeLimiter(name), bulkheads.bulkhead(name)), gateway.testing().freshChargeKeyPerAttempt());
    }
}
