package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.JavaProcess;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production overlay's Kafka security on a real broker: a KRaft broker with a SCRAM-SHA-512 listener and
 * Kafka's StandardAuthorizer (what Strimzi configures for {@code authentication: scram-sha-512} and
 * {@code authorization: simple}), given the SCRAM users and ACLs of the rendered KafkaUsers, and clients configured
 * from the production Deployments' {@code SPRING_KAFKA_PROPERTIES_*} variables as Spring Boot binds them. A
 * StockReserved forged with another service's credentials is refused; what each service does is allowed.
 */
@Tag(RealInfrastructure.TAG)
class KafkaAclsOnABrokerTest {

    private static final String STOCK_RESERVED_TOPIC = MessageCatalog.of(StockReserved.class).topic();

    @TempDir
    static Path data;

    private static JavaProcess broker;
    private static int clientPort;
    private static int setupPort;
    private static Map<String, String> passwords = new HashMap<>();
    private static Map<String, Map<String, String>> clientSettings = new HashMap<>();

    @BeforeAll
    static void startBrokerWithTheProductionUsers() throws Exception {
        Assumptions.assumeTrue(Kustomize.available(), "kubectl (with its built-in kustomize) is not on PATH");
        List<JsonNode> manifests = Kustomize.render(Repository.root().resolve("k8s/overlays/production"));
        for (String service : KafkaAccess.CLIENTS) {
            clientSettings.put(service, kafkaProperties(manifests, service));
            passwords.put(service, "secret-" + UUID.randomUUID());
        }

        clientPort = FreePorts.find();
        setupPort = FreePorts.find();
        int controllerPort = FreePorts.find();
        Path config = data.resolve("server.properties");
        Properties server = new Properties();
        server.put("process.roles", "broker,controller");
        server.put("node.id", "1");
        server.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.put("controller.listener.names", "CONTROLLER");
        // CLIENTS: as Strimzi's listener with authentication scram-sha-512. SETUP: this test's own, standing in for
        // Strimzi's operators (super users), which create topics, users and ACLs.
        server.put("listeners", "CLIENTS://127.0.0.1:" + clientPort + ",SETUP://127.0.0.1:" + setupPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", "CLIENTS://127.0.0.1:" + clientPort + ",SETUP://127.0.0.1:" + setupPort);
        server.put("listener.security.protocol.map", "CLIENTS:SASL_PLAINTEXT,SETUP:PLAINTEXT,CONTROLLER:PLAINTEXT");
        server.put("inter.broker.listener.name", "SETUP");
        server.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        server.put("listener.name.clients.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        server.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        server.put("super.users", "User:ANONYMOUS");
        server.put("allow.everyone.if.no.acl.found", "false");
        server.put("auto.create.topics.enable", "false");
        server.put("log.dirs", data.resolve("logs").toString());
        server.put("num.partitions", "1");
        server.put("offsets.topic.replication.factor", "1");
        server.put("offsets.topic.num.partitions", "1");
        server.put("transaction.state.log.replication.factor", "1");
        server.put("transaction.state.log.min.isr", "1");
        server.put("share.coordinator.state.topic.replication.factor", "1");
        server.put("share.coordinator.state.topic.min.isr", "1");
        server.put("group.initial.rebalance.delay.ms", "0");
        try (OutputStream out = Files.newOutputStream(config)) {
            server.store(out, "KafkaAclsOnABrokerTest");
        }
        JavaProcess format = JavaProcess.builder("kafka.tools.StorageTool").args("format", "-t", org.apache.kafka.common.Uuid.randomUuid().toString(),
                "-c", config.toString()).xmx("256m").logFile(data.resolve("format.log")).build();
        format.start();
        assertThat(format.waitFor(Duration.ofSeconds(120))).as(format.tailLog(20)).isZero();
        broker = JavaProcess.builder("kafka.Kafka").args(config.toString()).xmx("512m").jvmArgs("-XX:+UseSerialGC")
                .logFile(data.resolve("broker.log")).build();
        broker.start();
        awaitListening(clientPort);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + setupPort))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : Topics.ALL) {
                topics.add(new NewTopic(topic, 1, (short) 1));
                topics.add(new NewTopic(Topics.deadLetter(topic), 1, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            KafkaAccess.granted(manifests).forEach((user, grants) -> grants.forEach(grant -> {
                String[] parts = grant.split(":");
                acls.add(new AclBinding(new ResourcePattern(ResourceType.fromString(parts[0]), parts[1], PatternType.LITERAL),
                        new AccessControlEntry("User:" + user, "*", AclOperation.fromString(parts[2]), AclPermissionType.ALLOW)));
            }));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void aStockReservedForgedWithAnotherServicesCredentialsIsRefused() {
        for (String forger : List.of("order-service", "payment-service", "saga-orchestrator")) {
            assertThatThrownBy(() -> send(forger, STOCK_RESERVED_TOPIC, "forged by " + forger)).as(forger)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theRelayPublishesAndTheConsumersReadWithTheirOwnGroups() throws Exception {
        String event = "StockReserved " + UUID.randomUUID();
        send(KafkaAccess.RELAY, STOCK_RESERVED_TOPIC, event);

        for (String consumer : List.of("order-service", "payment-service")) {
            assertThat(readAll(consumer, consumer, STOCK_RESERVED_TOPIC)).as(consumer).contains(event);
        }
        assertThatThrownBy(() -> readAll("order-service", "payment-service", STOCK_RESERVED_TOPIC))
                .as("order-service in payment-service's group").isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> readAll("saga-orchestrator", "saga-orchestrator", STOCK_RESERVED_TOPIC))
                .as("the orchestrator does not consume inventory.events").isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aConsumerWritesTheDeadLetterTopicsOfWhatItConsumesOnly() throws Exception {
        send("order-service", Topics.deadLetter(STOCK_RESERVED_TOPIC), "dead letter");
        assertThat(readAll("order-service", null, Topics.deadLetter(STOCK_RESERVED_TOPIC))).contains("dead letter");
        assertThatThrownBy(() -> send("order-service", Topics.deadLetter(Topics.ORDER_EVENTS), "not its dead letter"))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theOrchestratorReadsItsParticipantsLagButNotTheirRecords() throws Exception {
        send(KafkaAccess.RELAY, Topics.PAYMENT_COMMANDS, "AuthorizePayment");
        readAll("payment-service", "payment-service", Topics.PAYMENT_COMMANDS);
        try (Admin orchestrator = Admin.create(new HashMap<>(client("saga-orchestrator")))) {
            var committed = orchestrator.listConsumerGroupOffsets("payment-service").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.keySet()).anyMatch(partition -> partition.topic().equals(Topics.PAYMENT_COMMANDS));
            Map<org.apache.kafka.common.TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            assertThat(orchestrator.listOffsets(latest).all().get(30, TimeUnit.SECONDS)).isNotEmpty();
        }
        assertThatThrownBy(() -> readAll("saga-orchestrator", "saga-orchestrator", Topics.PAYMENT_COMMANDS))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    /** platform-messaging's {@code kafka} health component (readiness) asks describeCluster with the service's own credentials. */
    @Test
    void everyConsumingServiceMayAskForTheClusterAsItsReadinessCheckDoes() throws Exception {
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator")) {
            try (Admin admin = Admin.create(new HashMap<>(client(service)))) {
                var cluster = admin.describeCluster();
                assertThat(cluster.clusterId().get(30, TimeUnit.SECONDS)).as(service).isNotBlank();
                assertThat(cluster.nodes().get(30, TimeUnit.SECONDS)).as(service).isNotEmpty();
            }
        }
    }

    @Test
    void aWrongPasswordIsNotAuthenticated() {
        Map<String, Object> settings = client("order-service");
        settings.put("sasl.jaas.config", jaas("order-service", "guess"));
        assertThatThrownBy(() -> send(settings, STOCK_RESERVED_TOPIC, "x")).isInstanceOf(SaslAuthenticationException.class);
    }

    /**
     * The Kafka client properties a production Deployment gives its service: each {@code SPRING_KAFKA_PROPERTIES_X_Y}
     * variable is {@code spring.kafka.properties.x.y} to Spring Boot, hence {@code x.y} on every client it builds
     * (outbox-relay's KafkaClientSecurityTest checks that binding); the JAAS line as Strimzi writes it into the
     * KafkaUser's Secret.
     */
    private static Map<String, String> kafkaProperties(List<JsonNode> manifests, String service) {
        JsonNode container = manifests.stream().filter(m -> m.path("kind").asText().equals("Deployment")
                && m.path("metadata").path("name").asText().equals(service)).findFirst().orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0);
        Map<String, String> properties = new HashMap<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            if (name.startsWith("SPRING_KAFKA_PROPERTIES_")) {
                String key = name.substring("SPRING_KAFKA_PROPERTIES_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                JsonNode secret = variable.path("valueFrom").path("secretKeyRef");
                properties.put(key, secret.isMissingNode() ? variable.path("value").asText()
                        : "<" + secret.path("name").asText() + "/" + secret.path("key").asText() + ">");
            }
        }
        assertThat(properties).as(service).containsKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
        assertThat(properties.get("sasl.jaas.config")).isEqualTo("<" + service + "/sasl.jaas.config>");
        return properties;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static Map<String, Object> client(String service) {
        Map<String, Object> settings = new HashMap<>(clientSettings.get(service));
        settings.put("sasl.jaas.config", jaas(service, passwords.get(service)));
        settings.put("bootstrap.servers", "127.0.0.1:" + clientPort);
        settings.put("request.timeout.ms", "10000");
        settings.put("default.api.timeout.ms", "20000");
        return settings;
    }

    private static void send(String service, String topic, String value) throws Exception {
        send(client(service), topic, value);
    }

    private static void send(Map<String, Object> settings, String topic, String value) throws Exception {
        Map<String, Object> producer = new HashMap<>(settings);
        producer.put("max.block.ms", "10000");
        producer.put("delivery.timeout.ms", "20000");
        producer.remove("default.api.timeout.ms");
        try (KafkaProducer<String, String> client = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            client.send(new ProducerRecord<>(topic, "order-1", value)).get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }

    /** Every value on the topic, read with {@code group} (committing) or, when null, by assignment as the dead-letter API does. */
    private static List<String> readAll(String service, String group, String topic) {
        Map<String, Object> consumer = new HashMap<>(client(service));
        consumer.put("auto.offset.reset", "earliest");
        consumer.put("enable.auto.commit", "false");
        if (group != null) {
            consumer.put("group.id", group);
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> client = new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            if (group != null) {
                client.subscribe(Set.of(topic));
            }
            else {
                client.assign(Set.of(partition));
                client.seekToBeginning(Set.of(partition));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : client.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
                if (!values.isEmpty() && (group == null || !client.assignment().isEmpty())) {
                    break;
                }
            }
            if (group != null) {
                client.commitSync(Duration.ofSeconds(10));
            }
        }
        return values;
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            }
            catch (java.io.IOException ex) {
                assertThat(broker.isAlive()).as(broker.tailLog(30)).isTrue();
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the broker did not listen on " + port + ":\n" + broker.tailLog(30));
    }
}
