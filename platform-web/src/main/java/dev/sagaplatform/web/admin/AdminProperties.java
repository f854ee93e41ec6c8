package dev.sagaplatform.web.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code platform.admin.*}; the environment variables {@code PLATFORM_ADMIN_USER} and
 * {@code PLATFORM_ADMIN_PASSWORD} bind to it by Spring Boot's relaxed binding, so services need no YAML
 * for it. A blank password is not "no password": a random one is generated at start-up.
 */
@ConfigurationProperties("platform.admin")
public record AdminProperties(@DefaultValue("admin") String user, String password) {

    public AdminProperties {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("platform.admin.user (PLATFORM_ADMIN_USER) must not be blank");
        }
    }

    boolean hasPassword() {
        return password != null && !password.isBlank();
    }
}
