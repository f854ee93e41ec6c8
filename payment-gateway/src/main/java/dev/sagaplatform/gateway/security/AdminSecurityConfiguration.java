package dev.sagaplatform.gateway.security;

import dev.sagaplatform.web.admin.AdminEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Only fault control ({@code /admin/**}) needs the platform admin (platform-web); charges, refunds and
 * actuator stay open like the rest of the demo platform.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    @Bean
    AdminEndpoints adminEndpoints() {
        return AdminEndpoints.realm("payment-gateway admin").anyMethod("/admin/**");
    }
}
