package dev.sagaplatform.gateway.security;

import dev.sagaplatform.web.problem.ProblemResponses;
import dev.sagaplatform.web.problem.ProblemTypes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
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
    private static final String BEARER = "Bearer ";

    @Bean
    @Order(1)
    SecurityFilterChain merchantApi(HttpSecurity http, MerchantProperties merchant, JsonMapper json) throws Exception {
        byte[] key = merchant.merchantApiKey().getBytes(StandardCharsets.UTF_8);
        return http
                .securityMatcher("/charges", "/charges/**", "/refunds", "/refunds/**")
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
