package dev.sagaplatform.gateway.security;

import dev.sagaplatform.web.openapi.OpenApiAutoConfiguration;
import dev.sagaplatform.web.problem.ProblemResponses;
import dev.sagaplatform.web.problem.ProblemTypes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * The money endpoints ({@code /charges}, {@code /refunds}) answer only the merchant: every request must
 * carry {@code Authorization: Bearer <merchant API key>}, as real card processors require a secret key
 * per merchant. Everything else keeps its own rule (fault control: the platform admin, platform-web;
 * actuator: open). Ordered before platform-web's chain, which matches every other request.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MerchantProperties.class)
class MerchantApiSecurityConfiguration {

    static final String MERCHANT_ROLE = "MERCHANT";
    /** The money endpoints; the OpenAPI description marks the same ones. */
    static final String[] MERCHANT_PATHS = {"/charges", "/charges/**", "/refunds", "/refunds/**"};
    static final String MERCHANT_SCHEME = "merchant-key";
    private static final String BEARER = "Bearer ";

    @Bean
    @Order(1)
    SecurityFilterChain merchantApi(HttpSecurity http, MerchantProperties merchant, JsonMapper json) throws Exception {
        byte[] key = merchant.merchantApiKey().getBytes(StandardCharsets.UTF_8);
        return http
                .securityMatcher(MERCHANT_PATHS)
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(MERCHANT_ROLE))
                .addFilterBefore(new MerchantKeyFilter(key), AuthorizationFilter.class)
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint((request, response, failure) -> {
                    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"payment-gateway\"");
                    ProblemResponses.write(response, json, ProblemTypes.UNAUTHORIZED,
                            "charges and refunds need the merchant API key: Authorization: Bearer <PAYMENT_GATEWAY_API_KEY>",
                            request.getRequestURI());
                }))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }

    /** The merchant key in /v3/api-docs: a bearer scheme, required by exactly the operations this chain matches. */
    @Bean
    GlobalOpenApiCustomizer merchantKeyInTheApiDescription() {
        List<PathPattern> money = Arrays.stream(MERCHANT_PATHS).map(PathPatternParser.defaultInstance::parse).toList();
        return openApi -> {
            openApi.getComponents().addSecuritySchemes(MERCHANT_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").description("The merchant API key (PAYMENT_GATEWAY_API_KEY)"));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (money.stream().anyMatch(pattern -> pattern.matches(PathContainer.parsePath(path)))) {
                    item.readOperations().forEach(operation -> {
                        operation.addSecurityItem(new SecurityRequirement().addList(MERCHANT_SCHEME));
                        operation.getResponses().computeIfAbsent("401",
                                status -> OpenApiAutoConfiguration.problem("unauthorized: no or a wrong merchant key"));
                    });
                }
            });
        };
    }

    /** Authenticates a request whose bearer token is the merchant key, compared in constant time. */
    static final class MerchantKeyFilter extends OncePerRequestFilter {

        private final byte[] key;

        MerchantKeyFilter(byte[] key) {
            this.key = key.clone();
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.startsWith(BEARER)
                    && MessageDigest.isEqual(key, authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8))) {
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new PreAuthenticatedAuthenticationToken("merchant", null,
                        List.of(new SimpleGrantedAuthority("ROLE_" + MERCHANT_ROLE))));
                SecurityContextHolder.setContext(context);
            }
            chain.doFilter(request, response);
        }
    }
}
