package dev.sagaplatform.order.remote;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class RemoteClientsConfiguration {

    // Boot's RestClient.Builder is a prototype bean: each client gets its own, with Boot's
    // message converters and HTTP client metrics.
    @Bean
    InventoryClient inventoryClient(RestClient.Builder builder, InventoryServiceProperties properties) {
        return new InventoryClient(builder, properties.dependency());
    }

    @Bean
    CustomerDirectory customerDirectory(RestClient.Builder builder, PaymentServiceProperties properties) {
        return new CustomerDirectory(builder, properties.dependency());
    }
}
