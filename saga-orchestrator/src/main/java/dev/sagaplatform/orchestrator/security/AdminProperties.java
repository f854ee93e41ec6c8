package dev.sagaplatform.orchestrator.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code platform.admin.*}, bound from {@code PLATFORM_ADMIN_USER} / {@code PLATFORM_ADMIN_PASSWORD} (application.yml). */
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
