package dev.sagaplatform.payment.payment.gateway;

import org.springframework.http.HttpHeaders;
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
                                              @Value("${payment.gateway.api-key:}") String apiKey,
                                              @Value("${payment.gateway.testing.fresh-charge-key-per-attempt:false}") boolean brokenChargeKeys,
                                              RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                              TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        if (apiKey.isBlank()) {
            // Without it every charge would be refused as unauthorized: say so at start-up, not per payment.
            throw new IllegalStateException("payment.gateway.api-key is not set: set PAYMENT_GATEWAY_API_KEY to the gateway's"
                    + " merchant key (./platform up generates one)");
        }
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk()
                .build(HttpClientSettings.defaults().withConnectTimeout(connectTimeout).withReadTimeout(readTimeout));
        String name = GatewayResilience.NAME;
        return new PaymentGatewayClient(builder.baseUrl(baseUrl).requestFactory(requestFactory)
                        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey).build(),
                new GatewayResilience(retries.retry(name), circuitBreakers.circuitBreaker(name),
                        timeLimiters.timeLimiter(name), bulkheads.bulkhead(name)), brokenChargeKeys);
    }
}
