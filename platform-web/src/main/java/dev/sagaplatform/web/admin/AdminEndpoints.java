package dev.sagaplatform.web.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpMethod;

/**
 * The bean a service declares to say which of its endpoints are admin besides {@code /admin/**} (always admin):
 * each needs HTTP Basic credentials of the platform admin, every other request stays open. {@code realm} is what
 * the {@code WWW-Authenticate} header of a 401 names. A service with nothing to add needs no such bean.
 *
 * <pre>{@code
 * @Bean
 * AdminEndpoints adminEndpoints() {
 *     return AdminEndpoints.realm("payment-service admin").method(HttpMethod.PUT, "/customers/*");
 * }
 * }</pre>
 *
 * Patterns are Spring {@code PathPattern}s ({@code /sagas/*}{@code /retry}, {@code /admin/**}).
 */
public record AdminEndpoints(String realm, List<Endpoint> endpoints) {

    public AdminEndpoints {
        if (realm == null || realm.isBlank() || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("the realm must be printable ASCII without quotes or backslashes, was: " + realm);
        }
        endpoints = List.copyOf(endpoints);
    }

    public static AdminEndpoints realm(String realm) {
        return new AdminEndpoints(realm, List.of());
    }

    /** These paths need the admin for this HTTP method only. */
    public AdminEndpoints method(HttpMethod method, String... patterns) {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null; use anyMethod for every method");
        }
        return with(method, patterns);
    }

    /** These paths need the admin whatever the HTTP method. */
    public AdminEndpoints anyMethod(String... patterns) {
        return with(null, patterns);
    }

    private AdminEndpoints with(HttpMethod method, String... patterns) {
        List<Endpoint> more = new ArrayList<>(endpoints);
        Arrays.stream(patterns).map(pattern -> new Endpoint(method, pattern)).forEach(more::add);
        return new AdminEndpoints(realm, more);
    }

    /** @param method {@code null} for every method */
    public record Endpoint(HttpMethod method, String pattern) {

        public Endpoint {
            if (pattern == null || !pattern.startsWith("/")) {
                throw new IllegalArgumentException("a path pattern starts with '/', was: " + pattern);
            }
        }
    }
}
