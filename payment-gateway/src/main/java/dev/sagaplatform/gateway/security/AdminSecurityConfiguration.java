package dev.sagaplatform.gateway.security;

import dev.sagaplatform.gateway.web.ProblemTypes;
import dev.sagaplatform.gateway.web.ProblemWriter;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Only {@code /admin/**} (fault control) needs credentials; charges, refunds and actuator stay open like
 * the rest of the demo platform. Stateless HTTP Basic: no session, no CSRF token, since no browser is
 * involved.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurityConfiguration.class);

    static final String ADMIN_ROLE = "ADMIN";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationEntryPoint problemEntryPoint) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/**").hasRole(ADMIN_ROLE)
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(problemEntryPoint))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problemEntryPoint))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }

    @Bean
    AuthenticationEntryPoint problemEntryPoint(ProblemWriter problems) {
        return (request, response, failure) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"payment-gateway admin\"");
            problems.write(response, 401, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                    "Admin endpoints need HTTP Basic credentials (PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD)",
                    request.getRequestURI());
        };
    }

    @Bean
    UserDetailsService adminUser(AdminProperties admin) {
        String password = admin.hasPassword() ? admin.password() : generatedPassword(admin.user());
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(admin.user())
                .password(encoder.encode(password))
                .roles(ADMIN_ROLE)
                .build());
    }

    /** Fault control must never be open by accident; an operator who set nothing reads the password from the log. */
    private static String generatedPassword(String user) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("PLATFORM_ADMIN_PASSWORD is not set; generated admin password for user '{}': {}", user, password);
        return password;
    }
}
