package dev.sagaplatform.web;

import dev.sagaplatform.web.problem.PlatformProblemHandler;
import dev.sagaplatform.web.request.RequestBodyLimitFilter;
import dev.sagaplatform.web.request.WebProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every service's HTTP API does the same way (see the module README): problem details from one
 * {@link PlatformProblemHandler}, request bodies capped at {@code platform.web.max-request-body}, and JSON request
 * bodies read strictly. Before Spring Boot's MVC auto-configuration, so that its own problem handler never applies.
 */
@AutoConfiguration(before = WebMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
public class WebConventionsAutoConfiguration {

    /** A service with problem types of its own replaces this with its subclass. */
    @Bean
    @ConditionalOnMissingBean(PlatformProblemHandler.class)
    PlatformProblemHandler platformProblemHandler() {
        return new PlatformProblemHandler();
    }

    /** Ahead of Spring Security and MVC: an oversized body costs no more than its headers. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties properties, JsonMapper json) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxRequestBody().toBytes(), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /**
     * Request bodies only (not the HTTP clients, which read other services' answers tolerantly, nor Kafka): an unknown
     * or repeated field, or anything after the JSON value, is a 400 rather than silently dropped, so a misspelt field
     * never does nothing. Runs after Spring Boot's own JSON converter customizer ({@code @Order(0)}) and replaces it.
     */
    @Bean
    @Order(10)
    ServerHttpMessageConvertersCustomizer strictJsonRequestBodies(JsonMapper json) {
        JsonMapper strict = json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return converters -> converters.withJsonConverter(new JacksonJsonHttpMessageConverter(strict));
    }
}
