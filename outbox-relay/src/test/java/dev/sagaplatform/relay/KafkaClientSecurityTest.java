package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The production overlay gives each Kafka client its SASL settings as {@code SPRING_KAFKA_PROPERTIES_*} environment
 * variables (k8s/overlays/production/kafka-credentials.yaml). Spring Boot binds them to {@code spring.kafka.properties},
 * which every client built from {@link KafkaProperties} gets: the relay's producer, and in the services the listener
 * containers, the dead-letter producer, platform-messaging's DeadLetterStore (built from the consumer and producer
 * properties) and the orchestrator's lag reader (the admin properties).
 */
class KafkaClientSecurityTest {

    private static final Path CREDENTIALS = Path.of("..", "k8s", "overlays", "production", "kafka-credentials.yaml");

    @Test
    void everyDeploymentsKafkaVariablesReachEveryClientItBuilds() throws IOException {
        int deployments = 0;
        for (Object document : new Yaml().loadAll(Files.readString(CREDENTIALS))) {
            Map<?, ?> deployment = (Map<?, ?>) document;
            String name = (String) ((Map<?, ?>) deployment.get("metadata")).get("name");
            String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name + "\" password=\"s3cret\";";
            Map<String, Object> environment = new HashMap<>();
            for (Object container : (List<?>) path(deployment, "spec", "template", "spec", "containers")) {
                for (Object entry : (List<?>) ((Map<?, ?>) container).get("env")) {
                    Map<?, ?> variable = (Map<?, ?>) entry;
                    environment.put((String) variable.get("name"), variable.containsKey("value") ? variable.get("value") : jaas);
                }
            }
            StandardEnvironment spring = new StandardEnvironment();
            spring.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
            KafkaProperties kafka = Binder.get(spring).bind("spring.kafka", KafkaProperties.class).orElseGet(KafkaProperties::new);

            for (Map<String, Object> client : List.of(kafka.buildProducerProperties(), kafka.buildConsumerProperties(),
                    kafka.buildAdminProperties())) {
                assertThat(client).as(name).containsEntry("security.protocol", "SASL_PLAINTEXT")
                        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", jaas);
            }
            deployments++;
        }
        assertThat(deployments).as("the five Kafka clients of the saga and saga-console").isEqualTo(6);
    }

    private static Object path(Map<?, ?> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }
}
