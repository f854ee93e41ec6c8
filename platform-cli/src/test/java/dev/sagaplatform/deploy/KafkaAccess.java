package dev.sagaplatform.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Who may do what on Kafka: what the code needs (read from the services' sources and platform-contracts) and what
 * the production overlay's KafkaUsers grant, both as sets of {@code type:name:Operation} so they can be compared.
 * <p>
 * What the code needs: every message leaves through the relay, so outbox-relay writes every saga topic and no
 * service writes one. Each consuming service reads the topics of the message types its {@code MessageSubscription}
 * handles, under its consumer group (the subscription's name), writes and reads their dead-letter topics
 * ({@code DeadLetterPublishingRecoverer}, {@code /admin/dead-letters}); the orchestrator also reads its participants'
 * committed offsets and the end offsets of the topics they consume (Describe) to tell a busy participant from a dead one.
 */
final class KafkaAccess {

    /** The services with a Kafka client, each with a KafkaUser of its name. */
    static final List<String> CLIENTS = List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator", "outbox-relay",
            "saga-console");
    static final String RELAY = "outbox-relay";
    /** Reads every saga topic and dead-letter topic under its own group, writes none (saga-console/README.md). */
    static final String CONSOLE = "saga-console";
    private static final List<String> CONSUMERS = List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator");
    /** saga-orchestrator's application.yml: orchestrator.participants, whose consumer groups it watches. */
    private static final List<String> PARTICIPANTS = List.of("payment-service", "inventory-service", "order-service");

    private static final Pattern CONSUMER = Pattern.compile("MessageSubscription\\.consumer\\((\"[^\"]+\"|\\w+)\\)");
    private static final Pattern HANDLES = Pattern.compile("\\.on\\((\\w+)\\.class");

    private KafkaAccess() {
    }

    /** A service's subscription as its source says: its consumer group and the topics of the types it handles. */
    record Subscription(String group, Set<String> topics) {
    }

    static Subscription subscription(String service) {
        try (Stream<Path> files = Files.walk(Repository.root().resolve(service).resolve("src/main/java"))) {
            List<Path> declaring = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> Repository.read(file).contains("MessageSubscription.consumer(")).toList();
            if (declaring.size() != 1) {
                throw new IllegalStateException(service + ": expected one MessageSubscription, found " + declaring);
            }
            String source = Repository.read(declaring.get(0));
            Matcher consumer = CONSUMER.matcher(source);
            if (!consumer.find()) {
                throw new IllegalStateException(service + ": no consumer name in " + declaring.get(0));
            }
            String group = consumer.group(1).startsWith("\"") ? consumer.group(1).replace("\"", "")
                    : constant(source, consumer.group(1), declaring.get(0));
            Set<String> topics = new TreeSet<>();
            Matcher handles = HANDLES.matcher(source);
            while (handles.find()) {
                String type = handles.group(1);
                topics.add(MessageCatalog.all().stream().filter(candidate -> candidate.javaType().getSimpleName().equals(type))
                        .map(MessageType::topic).findFirst()
                        .orElseThrow(() -> new IllegalStateException(service + " handles " + type + ", which is not in the MessageCatalog")));
            }
            return new Subscription(group, topics);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String constant(String source, String name, Path file) {
        Matcher value = Pattern.compile("String " + name + "\\s*=\\s*\"([^\"]+)\"").matcher(source);
        if (!value.find()) {
            throw new IllegalStateException("no constant " + name + " in " + file);
        }
        return value.group(1);
    }

    /** What each client's code needs, by service. */
    static Map<String, Set<String>> needed() {
        Map<String, Set<String>> needed = new LinkedHashMap<>();
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        CONSUMERS.forEach(service -> subscriptions.put(service, subscription(service)));
        subscriptions.forEach((service, subscription) -> {
            Set<String> grants = new TreeSet<>();
            for (String topic : subscription.topics()) {
                grants.add("topic:" + topic + ":Read");
                grants.add("topic:" + topic + ":Describe");
                String deadLetters = Topics.deadLetter(topic);
                grants.add("topic:" + deadLetters + ":Write");
                grants.add("topic:" + deadLetters + ":Read");
                grants.add("topic:" + deadLetters + ":Describe");
            }
            grants.add("group:" + subscription.group() + ":Read");
            needed.put(service, grants);
        });
        Set<String> orchestrator = needed.get("saga-orchestrator");
        for (String participant : PARTICIPANTS) {
            orchestrator.add("group:" + subscriptions.get(participant).group() + ":Describe");
            subscriptions.get(participant).topics().forEach(topic -> orchestrator.add("topic:" + topic + ":Describe"));
        }
        Set<String> relay = new TreeSet<>();
        for (String topic : Topics.ALL) {
            relay.add("topic:" + topic + ":Write");
            relay.add("topic:" + topic + ":Describe");
        }
        needed.put(RELAY, relay);
        Set<String> console = new TreeSet<>();
        for (String topic : Topics.withDeadLetters()) {
            console.add("topic:" + topic + ":Read");
            console.add("topic:" + topic + ":Describe");
        }
        console.add("group:" + CONSOLE + ":Read");
        needed.put(CONSOLE, console);
        return needed;
    }

    /** The KafkaUsers of rendered manifests: name → grants (allow rules, literal patterns, any host). */
    static Map<String, Set<String>> granted(List<JsonNode> manifests) {
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        for (JsonNode user : manifests) {
            if (!user.path("kind").asText().equals("KafkaUser")) {
                continue;
            }
            Set<String> grants = new TreeSet<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                if (!acl.path("type").asText("allow").equals("allow") || !resource.path("patternType").asText("literal").equals("literal")
                        || !acl.path("host").asText("*").equals("*")) {
                    throw new IllegalArgumentException("only literal allow rules for any host are understood here: " + acl);
                }
                for (JsonNode operation : acl.path("operations")) {
                    grants.add(resource.path("type").asText() + ":" + resource.path("name").asText() + ":" + operation.asText());
                }
            }
            granted.put(user.path("metadata").path("name").asText(), grants);
        }
        return granted;
    }
}
