package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.JavaProcess;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay as its own JVM, killed with SIGKILL while rows keep coming: nothing may be lost. */
@Tag(RealInfrastructure.TAG)
class RelayCrashTest {

    @TempDir
    Path logs;

    @Test
    void relayKilledMidStreamDeliversEveryRowAfterRestart() throws Exception {
        OutboxSource source = OutboxSource.create("crash");
        List<UUID> written = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int sequence = 0;
            while (writing.get()) {
                written.addAll(source.insert("key-" + (sequence % 4), sequence / 4, 1));
                sequence++;
                sleep(5);
            }
        }, "outbox-writer");

        JavaProcess relay = relayProcess(source, "first");
        try (var reader = new TopicReader(TestInfrastructure.get().kafkaBootstrapServers(), source.topic())) {
            writer.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> written.size() > 300);
            reader.awaitIds(List.copyOf(written.subList(0, 100)), Duration.ofSeconds(90));

            relay.kill();
            int writtenAtKill = written.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> written.size() > writtenAtKill + 100);
            relay = relayProcess(source, "second");
            sleep(1_000);
            writing.set(false);
            writer.join();

            List<ConsumerRecord<String, String>> records = reader.awaitIds(List.copyOf(written), Duration.ofSeconds(120));

            assertFirstCopiesInOrderPerKey(records);
            System.out.printf("crash test: %d rows written, %d records read (%d duplicates), %d written while the relay was dead%n",
                    written.size(), records.size(), records.size() - written.size(), written.size() - writtenAtKill);
        } finally {
            writing.set(false);
            relay.stop();
            source.dropSlot();
        }
    }

    private JavaProcess relayProcess(OutboxSource source, String name) {
        List<String> args = RelayArgs.common(TestInfrastructure.get().kafkaBootstrapServers(), source);
        return JavaProcess.builder(OutboxRelayApplication.class.getName())
                .args(args)
                .xmx("384m")
                .logFile(logs.resolve("relay-" + name + ".log"))
                .start();
    }

    /** Redelivery may repeat records; the first copy of each must still respect per-key order. */
    private static void assertFirstCopiesInOrderPerKey(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> next = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            if (!seen.add(TopicReader.eventId(record))) {
                continue;
            }
            int expected = next.getOrDefault(record.key(), 0);
            assertThat(record.value()).as("first copy of record %s", TopicReader.eventId(record))
                    .isEqualTo("{\"key\": \"" + record.key() + "\", \"sequence\": " + expected + "}");
            next.put(record.key(), expected + 1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
