package dev.sagaplatform.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Command-line arguments every relay started by these tests shares. */
final class RelayArgs {

    static final String ADMIN_USER = "ops";
    static final String ADMIN_PASSWORD = "relay-test-secret";

    private RelayArgs() {
    }

    /** The {@code Authorization} header of the platform admin, who alone sees health details. */
    static String adminAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    static List<String> common(String bootstrapServers, OutboxSource... sources) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--relay.heartbeat-interval=300ms",
                "--relay.retry-initial-interval=200ms",
                "--relay.retry-max-interval=2s",
                "--platform.admin.user=" + ADMIN_USER,
                "--platform.admin.password=" + ADMIN_PASSWORD,
                // The tests put platform-messaging on the classpath for its migrations; the relay itself
                // has no DataSource and must not pick up that library's service-side auto-configuration.
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
                        + "dev.sagaplatform.messaging.MessagingAutoConfiguration"));
        for (int i = 0; i < sources.length; i++) {
            args.addAll(sources[i].relayArgs(i));
        }
        return args;
    }
}
