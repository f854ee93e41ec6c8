package dev.sagaplatform.gateway.security;

import dev.sagaplatform.web.admin.AdminEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fault control ({@code /admin/**}) needs the platform admin (platform-web); charges and refunds need
 * the merchant key ({@link MerchantApiSecurityConfiguration}); actuator stays open like the rest of the
 * demo platform.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    @Bean
    AdminEndpoints adminEndpoints() {
        return AdminEndpoints.realm("payment-gateway admin").anyMethod("/admin/**");
    }
}
