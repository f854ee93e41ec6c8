package dev.sagaplatform.orchestrator.security;

import dev.sagaplatform.web.admin.AdminEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Only the operator's write ({@code POST /sagas/{id}/retry}) needs the platform admin (platform-web):
 * reading sagas and the actuator stay open like the rest of the demo platform.
 */
@Configuration(proxyBeanMethods = false)
class OperatorSecurityConfiguration {

    @Bean
    AdminEndpoints operatorEndpoints() {
        return AdminEndpoints.realm("saga-orchestrator operator").method(HttpMethod.POST, "/sagas/*/retry");
    }
}
