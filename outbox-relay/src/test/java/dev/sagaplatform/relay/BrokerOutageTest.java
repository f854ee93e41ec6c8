package dev.sagaplatform.relay;

import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A broker of its own (a separate process, so it can really go away) that is down for a while. */
class BrokerOutageTest {

    @TempDir
    Path brokerData;

    @Test
    void rowsWrittenWhileKafkaIsDownArePublishedWhenItIsBack() {
        OutboxSource source = OutboxSource.create("outage");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(brokerData, 0)) {
            List<String> args = RelayArgs.common(broker.bootstrapServers(), source);
            try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(OutboxRelayApplication.class)
                    .run(args.toArray(String[]::new))) {
                OutboxRelay outboxRelay = relay.getBean(OutboxRelay.class);
                List<UUID> beforeOutage = source.insert("k", 0, 10);
                try (var reader = new TopicReader(broker.bootstrapServers(), source.topic())) {
                    reader.awaitIds(beforeOutage, Duration.ofSeconds(60));
                }

                broker.stop();
                List<UUID> duringOutage = source.insert("k", 10, 50);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    SourceState state = outboxRelay.states().get("outage");
                    return state.status() == SourceState.Status.RETRYING && state.detail().contains("Kafka did not acknowledge");
                });
                broker.restart();

                try (var reader = new TopicReader(broker.bootstrapServers(), source.topic())) {
                    reader.awaitIds(duringOutage, Duration.ofSeconds(120));
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> outboxRelay.states().get("outage").status() == SourceState.Status.RUNNING);
            }
        } finally {
            source.dropSlot();
        }
    }
}
