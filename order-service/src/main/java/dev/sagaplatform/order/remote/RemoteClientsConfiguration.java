package dev.sagaplatform.order.remote;

import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class RemoteClientsConfiguration {

    // Boot's RestClient.Builder is a prototype bean: each client gets its own, with Boot's
    // message converters and HTTP client metrics. The registries come from Resilience4j's starter,
    // filled from resilience4j.* in application.yml.
    @Bean
    InventoryClient inventoryClient(RestClient.Builder builder, InventoryServiceProperties properties,
                                    RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                    TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        return new InventoryClient(ResilientDependency.named(InventoryClient.NAME, properties.dependency(), builder,
                retries, circuitBreakers, timeLimiters, bulkheads), properties.priceCacheTtl());
    }

    @Bean
    CustomerDirectory customerDirectory(RestClient.Builder builder, PaymentServiceProperties properties,
                                        RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                        TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        return new CustomerDirectory(ResilientDependency.named(CustomerDirectory.NAME, properties.dependency(), builder,
                retries, circuitBreakers, timeLimiters, bulkheads), properties.customerCacheTtl());
    }
}
