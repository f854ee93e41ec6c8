package dev.sagaplatform.relay;

import java.util.ArrayList;
import java.util.List;

/** Command-line arguments every relay started by these tests shares. */
final class RelayArgs {

    private RelayArgs() {
    }

    static List<String> common(String bootstrapServers, OutboxSource... sources) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--relay.heartbeat-interval=300ms",
                "--relay.retry-initial-interval=200ms",
                "--relay.retry-max-interval=2s",
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
