package dev.sagaplatform.orchestrator.security;

import dev.sagaplatform.orchestrator.saga.web.ProblemType;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * Only the operator's write ({@code POST /sagas/{id}/retry}) needs credentials: reading sagas and the
 * actuator stay open like the rest of the demo platform. Stateless HTTP Basic: no session and no CSRF
 * token, since no browser is involved.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
class OperatorSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OperatorSecurityConfiguration.class);

    static final String OPERATOR_ROLE = "ADMIN";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationEntryPoint problemEntryPoint) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/sagas/*/retry").hasRole(OPERATOR_ROLE)
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(problemEntryPoint))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problemEntryPoint))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }

    @Bean
    AuthenticationEntryPoint problemEntryPoint(JsonMapper json) {
        return (request, response, failure) -> {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", ProblemType.UNAUTHORIZED.type().toString());
            problem.put("title", ProblemType.UNAUTHORIZED.title());
            problem.put("status", ProblemType.UNAUTHORIZED.status().value());
            problem.put("detail", "retrying a saga needs HTTP Basic credentials (PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD)");
            problem.put("instance", request.getRequestURI());
            response.setStatus(ProblemType.UNAUTHORIZED.status().value());
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"saga-orchestrator operator\"");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(json.writeValueAsBytes(problem));
        };
    }

    @Bean
    UserDetailsService operator(AdminProperties admin) {
        String password = admin.hasPassword() ? admin.password() : generatedPassword(admin.user());
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(admin.user())
                .password(encoder.encode(password))
                .roles(OPERATOR_ROLE)
                .build());
    }

    /** The retry endpoint must never be open by accident; an operator who set nothing reads the password from the log. */
    private static String generatedPassword(String user) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("PLATFORM_ADMIN_PASSWORD is not set; generated operator password for user '{}': {}", user, password);
        return password;
    }
}
