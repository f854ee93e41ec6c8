package dev.sagaplatform.payment.security;

import dev.sagaplatform.web.admin.AdminEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Only setting a customer's credit ({@code PUT /customers/{id}}) needs the platform admin (platform-web):
 * it changes money outside the saga. Reads, payments and actuator stay open like the rest of the demo shop.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    @Bean
    AdminEndpoints adminEndpoints() {
        return AdminEndpoints.realm("payment-service admin").method(HttpMethod.PUT, "/customers/*");
    }
}
