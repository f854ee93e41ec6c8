package dev.sagaplatform.console.web;

import dev.sagaplatform.console.ConsoleProperties;
import dev.sagaplatform.web.admin.AdminEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Every action (a POST under {@code /api}) needs the platform admin; reads of the page and its API are open where
 * {@code console.reads-open} is true (the local platform, compose on 127.0.0.1) and need the admin too where it is
 * false (Kubernetes). The probes and metrics stay open like every service's.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    @Bean
    AdminEndpoints adminEndpoints(ConsoleProperties properties) {
        AdminEndpoints admin = AdminEndpoints.realm("saga-console admin").method(HttpMethod.POST, "/api/**");
        return properties.readsOpen() ? admin : admin.anyMethod("/api/**");
    }
}
