package dev.sagaplatform.inventory.security;

import dev.sagaplatform.web.admin.AdminEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Creating and restocking products ({@code PUT /products/{sku}}) changes stock outside the saga, so it
 * needs the platform admin (platform-web). The catalogue, reservations and actuator stay open.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    @Bean
    AdminEndpoints adminEndpoints() {
        return AdminEndpoints.realm("inventory-service admin").method(HttpMethod.PUT, "/products/*");
    }
}
