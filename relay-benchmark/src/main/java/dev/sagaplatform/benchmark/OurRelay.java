package dev.sagaplatform.benchmark;

import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.JavaProcess;

/**
 * System A: {@code dev.sagaplatform.relay.OutboxRelayApplication} with one source, configured on the
 * command line as the relay's own tests do, otherwise on its defaults (acks=all, idempotence,
 * linger.ms=1, offsets in PostgreSQL flushed every second, a heartbeat row every 10 s).
 */
final class OurRelay extends RelayUnderTest {

    private final String classpathPrefix;

    /** @param classpathPrefix classes that shadow the relay's own (a changed relay under test), or null */
    OurRelay(Environment environment, int rows, String classpathPrefix) {
        super("ours", "ours (outbox-relay)", environment, rows);
        this.classpathPrefix = classpathPrefix;
    }

    @Override
    JavaProcess.Builder processBuilder() {
        String source = "--relay.sources[0].";
        JavaProcess.Builder builder = JavaProcess.builder("dev.sagaplatform.relay.OutboxRelayApplication");
        if (classpathPrefix != null) {
            builder.classpath(classpathPrefix + java.io.File.pathSeparator + System.getProperty("java.class.path"));
        }
        return builder.args(
                "--server.address=127.0.0.1",
                "--server.port=" + FreePorts.find(),
                "--spring.kafka.bootstrap-servers=" + environment.bootstrapServers(),
                "--relay.poll-interval=10ms",
                // The relay's default is 1; set so that --linger-ms changes both systems alike.
                "--spring.kafka.producer.properties.linger.ms=" + environment.lingerMillis(),
                // This JVM's classpath (the relay's plus the benchmark's) holds platform-messaging for
                // the migrations; the relay has no DataSource and must not start that library's
                // service-side auto-configuration.
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
                        + "dev.sagaplatform.messaging.MessagingAutoConfiguration",
                source + "name=bench",
                source + "host=" + environment.pgHost(),
                source + "port=" + environment.pgPort(),
                source + "database=" + database(),
                source + "username=" + environment.pgUser(),
                source + "password=" + environment.pgPassword(),
                source + "slot-name=" + slotName());
    }
}
