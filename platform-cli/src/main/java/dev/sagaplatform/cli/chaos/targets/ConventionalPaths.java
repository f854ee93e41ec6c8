package dev.sagaplatform.cli.chaos.targets;

/** URLs as experiments write them, made concrete: service hosts and the paths people write for health and metrics. */
public final class ConventionalPaths {

    private ConventionalPaths() {
    }

    /**
     * A probe's URL on a machine where every service listens on localhost: {@code http://payment-service/health}
     * becomes {@code http://localhost:<its port>/actuator/health}; a localhost URL keeps its port.
     */
    public static java.net.URI onThisMachine(String url, java.util.function.Function<String, Integer> portOfService) {
        java.net.URI uri = java.net.URI.create(url);
        String host = uri.getHost();
        int port = uri.getPort();
        if (!"localhost".equals(host) && !"127.0.0.1".equals(host)) {
            port = portOfService.apply(dev.sagaplatform.cli.chaos.experiment.Services.resolve(host)
                    .orElseThrow(() -> new IllegalArgumentException("no service " + host)));
        }
        String path = of(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        return java.net.URI.create("http://localhost:" + port + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
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
