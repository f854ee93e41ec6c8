package dev.sagaplatform.benchmark;

import dev.sagaplatform.benchmark.prototype.DirectPgOutputRelay;
import dev.sagaplatform.testsupport.JavaProcess;

/**
 * {@code --ours=prototype}: the {@link DirectPgOutputRelay} experiment in place of the relay, to
 * measure what the relay's hot path would cost without Debezium's engine. Same database, slot name,
 * topic, heap and producer settings as the relay.
 */
final class PrototypeRelay extends RelayUnderTest {

    PrototypeRelay(Environment environment, int rows) {
        super("ours", "ours (PROTOTYPE: direct pgoutput)", environment, rows);
    }

    @Override
    JavaProcess.Builder processBuilder() {
        return JavaProcess.builder(DirectPgOutputRelay.class.getName())
                .systemProperty("logback.configurationFile", "benchmark-logback.xml")
                .args(environment.bootstrapServers(), environment.jdbcUrl(database()), environment.pgUser(),
                        environment.pgPassword(), slotName(), "outbox_publication",
                        Integer.toString(environment.lingerMillis()));
    }
}
