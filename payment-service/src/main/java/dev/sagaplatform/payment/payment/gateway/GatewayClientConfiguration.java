package dev.sagaplatform.payment.payment.gateway;

import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class GatewayClientConfiguration {

    /**
     * The read timeout is only the backstop behind the time limiter (resilience4j.timelimiter): it frees
     * the bulkhead thread of an attempt the time limiter already cut, so it must stay above the limit.
     */
    @Bean
    PaymentGatewayClient paymentGatewayClient(RestClient.Builder builder,
                                              @Value("${payment.gateway.base-url}") String baseUrl,
                                              @Value("${payment.gateway.connect-timeout:1s}") Duration connectTimeout,
                                              @Value("${payment.gateway.read-timeout:3s}") Duration readTimeout,
                                              RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                              TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk()
                .build(HttpClientSettings.defaults().withConnectTimeout(connectTimeout).withReadTimeout(readTimeout));
        String name = GatewayResilience.NAME;
        return new PaymentGatewayClient(builder.baseUrl(baseUrl).requestFactory(requestFactory).build(),
                new GatewayResilience(retries.retry(name), circuitBreakers.circuitBreaker(name),
                        timeLimiters.timeLimiter(name), bulkheads.bulkhead(name)));
    }
}
