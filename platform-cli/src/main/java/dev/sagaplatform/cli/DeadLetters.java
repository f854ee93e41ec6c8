package dev.sagaplatform.cli;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.messaging.deadletter.DeadLetter;
import dev.sagaplatform.messaging.deadletter.DeadLetterStore;
import dev.sagaplatform.messaging.deadletter.DeadLetterStore.DeadLetterStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./platform dead-letters}: what the consumers gave up on, and putting it back once the cause is fixed.
 * A replayed record goes to its original topic with its key, value and headers (its event id among them), so
 * every consumer group that already applied it ignores it (inbox) and the one that failed applies it now. The Kafka
 * side is platform-messaging's {@link DeadLetterStore}, the same the services' {@code /admin/dead-letters} uses.
 */
@Command(name = "dead-letters", description = {"List the records on the dead-letter topics (<topic>.DLT), or replay them to"
        + " their original topic once their cause is fixed.",
        "Replaying is safe to repeat: each record keeps its event id, and every consumer applies an event id once."},
        subcommands = {DeadLetters.ListRecords.class, DeadLetters.Replay.class})
final class DeadLetters implements Runnable {

    /** Each call to the broker; the dead-letter topics are small. */
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the broker is and which dead-letter topics to read. */
    static final class Selection {
        @Option(names = "--topic", paramLabel = "T", description = "Only the dead letters of this topic (e.g. order.events).")
        String topic;
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "The broker (default: the local platform's); e.g. localhost:9092 for docker compose.")
        String bootstrapServers;

        String broker(PlatformCli.Location location) {
            return bootstrapServers != null ? bootstrapServers : "127.0.0.1:" + location.platform().ports().get(Component.KAFKA);
        }

        /** Every dead letter now on the selected topics (those that exist), by topic, partition and offset. */
        List<DeadLetter> read(DeadLetterStore store) {
            try {
                return store.list(deadLetterTopics());
            } catch (DeadLetterStoreException e) {
                throw new CliException("Could not read the dead-letter topics: " + e.getMessage(), e);
            }
        }

        List<String> deadLetterTopics() {
            if (topic != null && !Topics.ALL.contains(topic)) {
                throw new CliException("--topic " + topic + ": one of " + String.join(", ", Topics.ALL));
            }
            return (topic == null ? Topics.ALL : List.of(topic)).stream().map(Topics::deadLetter).toList();
        }
    }

    @Command(name = "list", description = "Every record on the dead-letter topics: where it was, its key, event, and why it failed.")
    static final class ListRecords implements Callable<Integer> {
        @Mixin
        PlatformCli.Location location = new PlatformCli.Location();
        @Mixin
        Selection selection = new Selection();

        @Override
        public Integer call() {
            List<DeadLetter> deadLetters = selection.read(DeadLetterStore.forBroker(selection.broker(location), BROKER_TIMEOUT));
            if (deadLetters.isEmpty()) {
                System.out.println("No dead letters.");
                return 0;
            }
            for (DeadLetter deadLetter : deadLetters) {
                System.out.printf("%s  %s  key %s  event %s (%s)  from group %s%n    %s%n", deadLetter.coordinates(), deadLetter.timestamp(),
                        deadLetter.key() == null ? "-" : deadLetter.key(), deadLetter.eventType(), deadLetter.eventId(),
                        deadLetter.consumerGroup(), deadLetter.error());
            }
            System.out.println(deadLetters.size() + " dead letter(s). Replay: ./platform dead-letters replay --record TOPIC:PARTITION@OFFSET"
                    + " (or --all) once the cause is fixed.");
            return 0;
        }
    }

    @Command(name = "replay", description = "Put dead letters back on their original topic (with their event id, key and headers).")
    static final class Replay implements Callable<Integer> {
        @Mixin
        PlatformCli.Location location = new PlatformCli.Location();
        @Mixin
        Selection selection = new Selection();
        @Option(names = "--record", paramLabel = "TOPIC:PARTITION@OFFSET", description = "One dead letter, as list shows it; repeatable.")
        List<String> records = new ArrayList<>();
        @Option(names = "--all", description = "Every dead letter of the selected topics.")
        boolean all;

        @Override
        public Integer call() {
            if (all == !records.isEmpty()) {
                throw new CliException("Name the dead letters to replay: --record TOPIC:PARTITION@OFFSET (repeatable) or --all.");
            }
            Set<String> wanted = Set.copyOf(records);
            for (String record : wanted) {
                if (!DeadLetter.isCoordinates(record)) {
                    throw new CliException("--record " + record + ": write it as list shows it, e.g. order.events.DLT:0@12");
                }
            }
            DeadLetterStore store = DeadLetterStore.forBroker(selection.broker(location), BROKER_TIMEOUT);
            List<DeadLetter> chosen = selection.read(store).stream().filter(d -> all || wanted.contains(d.coordinates())).toList();
            if (!all && chosen.size() != wanted.size()) {
                throw new CliException("Not every --record is a dead letter on the broker: found " + chosen.size() + " of " + wanted.size()
                        + " (./platform dead-letters list shows them).");
            }
            List<DeadLetterStore.Replayed> replayed;
            try {
                replayed = store.replay(chosen);
            } catch (DeadLetterStoreException e) {
                throw new CliException("Replaying failed: " + e.getMessage() + ". Those replayed before it stay replayed; replaying"
                        + " them again is harmless.", e);
            }
            for (DeadLetterStore.Replayed r : replayed) {
                System.out.println("replayed " + r.record() + " to " + r.originalTopic() + " (event " + r.eventId() + ")");
            }
            System.out.println(replayed.size() + " dead letter(s) replayed.");
            return 0;
        }
    }
}
