package dev.sagaplatform.cli.chaos.targets;

/** The paths people write for health and metrics, as Spring Boot's actuator serves them. */
public final class ConventionalPaths {

    private ConventionalPaths() {
    }

    public static String of(String path) {
        return switch (path) {
            case "/health", "/healthz", "/status" -> "/actuator/health";
            case "/ready", "/readyz", "/readiness", "/health/ready", "/health/readiness" -> "/actuator/health/readiness";
            case "/live", "/livez", "/liveness", "/health/live", "/health/liveness" -> "/actuator/health/liveness";
            case "/metrics", "/prometheus" -> "/actuator/prometheus";
            default -> path;
        };
    }
}
