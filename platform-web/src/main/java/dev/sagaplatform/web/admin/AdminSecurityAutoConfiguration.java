package dev.sagaplatform.web.admin;

import java.security.SecureRandom;
import java.util.Base64;
import dev.sagaplatform.web.problem.ProblemResponses;
import dev.sagaplatform.web.problem.ProblemTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP Basic for every {@value #ADMIN_PATHS} path and the endpoints a service names in its {@link AdminEndpoints}
 * bean (optional; without one the realm is {@code "<spring.application.name> admin"}); everything else, actuator
 * included, is open like the rest of the demo platform. One user, the platform admin, with role
 * {@value #ADMIN_ROLE}. Stateless: no session, no CSRF token and no request cache, since callers are scripts and
 * the {@code ./platform} command, not browsers.
 * <p>
 * Runs before Spring Boot's own security auto-configurations so that their defaults (everything
 * authenticated, a generated "user") never apply.
 */
@AutoConfiguration(before = {UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
        ManagementWebSecurityAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurityAutoConfiguration.class);

    public static final String ADMIN_ROLE = "ADMIN";

    private static final String CREDENTIALS = "HTTP Basic credentials of the platform admin (PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD)";

    /**
     * Paths that are admin whatever the service lists: the platform's own admin endpoints live there (platform-messaging's
     * {@code /admin/dead-letters}), and an endpoint put there by mistake must not be open.
     */
    public static final String ADMIN_PATHS = "/admin/**";

    @Bean
    SecurityFilterChain adminSecurityFilterChain(HttpSecurity http, ObjectProvider<AdminEndpoints> adminEndpoints, JsonMapper json,
                                                 Environment environment) {
        AdminEndpoints admin = adminEndpoints.getIfAvailable(() ->
                AdminEndpoints.realm(environment.getProperty("spring.application.name", "application") + " admin"))
                .anyMethod(ADMIN_PATHS);
        AuthenticationEntryPoint problem = problemEntryPoint(admin.realm(), json);
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return http
                .authorizeHttpRequests(requests -> {
                    admin.endpoints().forEach(endpoint ->
                            requests.requestMatchers(paths.matcher(endpoint.method(), endpoint.pattern())).hasRole(ADMIN_ROLE));
                    requests.anyRequest().permitAll();
                })
                .httpBasic(basic -> basic.authenticationEntryPoint(problem))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problem))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }

    /** Picked up by Spring Security's authentication for the in-memory admin below. */
    @Bean
    PasswordEncoder platformAdminPasswordEncoder() {
        return new DigestPasswordEncoder();
    }

    @Bean
    UserDetailsService platformAdmin(AdminProperties admin, PasswordEncoder platformAdminPasswordEncoder) {
        String password = admin.hasPassword() ? admin.password() : generatedPassword(admin.user());
        return new InMemoryUserDetailsManager(User.withUsername(admin.user())
                .password(platformAdminPasswordEncoder.encode(password))
                .roles(ADMIN_ROLE)
                .build());
    }

    /** A 401 as RFC 9457 problem details; no credentials and wrong ones get the same type, told apart in the detail. */
    private static AuthenticationEntryPoint problemEntryPoint(String realm, JsonMapper json) {
        return (request, response, failure) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"");
            ProblemResponses.write(response, json, ProblemTypes.UNAUTHORIZED, failure instanceof InsufficientAuthenticationException
                    ? "this endpoint needs the " + CREDENTIALS
                    : "the credentials were not accepted; this endpoint needs the " + CREDENTIALS, request.getRequestURI());
        };
    }

    /** Admin endpoints must never be open by accident; an operator who set nothing reads the password from the log. */
    private static String generatedPassword(String user) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("PLATFORM_ADMIN_PASSWORD is not set; generated admin password for user '{}': {}", user, password);
        return password;
    }
}
