package dev.sagaplatform.gateway.fault.web;

import dev.sagaplatform.gateway.fault.FaultInjector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class FaultWebConfiguration {

    /**
     * Inside the HTTP observation filter, so injected 503s show in {@code http_server_requests}, and
     * ahead of Spring Security and MVC, so an injected failure costs the gateway no work.
     */
    @Bean
    FilterRegistrationBean<FaultInjectionFilter> faultInjectionFilter(FaultInjector injector, JsonMapper json) {
        FilterRegistrationBean<FaultInjectionFilter> registration =
                new FilterRegistrationBean<>(new FaultInjectionFilter(injector, json));
        registration.addUrlPatterns("/charges", "/refunds");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectionResets() {
        return factory -> {
            factory.setProtocol(ResettableHttp11NioProtocol.class.getName());
            factory.addEngineValves(new ConnectionResetValve());
        };
    }
}
