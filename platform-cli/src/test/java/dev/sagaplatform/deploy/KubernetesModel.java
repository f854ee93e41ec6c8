package dev.sagaplatform.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.Map;

/**
 * Reads manifests into the typed Kubernetes API model (fabric8's, and Strimzi's for its custom
 * resources) strictly: a field the API does not have, such as {@code readinesProbe}, is an error.
 * <p>
 * The model classes keep unknown fields in an "additional properties" map (a {@code @JsonAnySetter}),
 * which would accept any typo silently; this mapper ignores those any-setters, so Jackson's
 * FAIL_ON_UNKNOWN_PROPERTIES applies.
 */
final class KubernetesModel {

    /** apiVersion/kind → model class. A kind missing here fails the validation rather than passing unchecked. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class));

    /**
     * apiVersion/kind → the CustomResourceDefinition (vendored under platform-cli/src/test/resources, with its source)
     * of a custom resource whose operator publishes no Java model: checked against the CRD's schema as strictly.
     */
    static final Map<String, CustomResourceSchema> CUSTOM_RESOURCES = Map.of(
            "postgresql.cnpg.io/v1/Cluster", CustomResourceSchema.fromResource("/cloudnative-pg/postgresql.cnpg.io_clusters.yaml"));

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            });

    private KubernetesModel() {
    }

    /** The typed object, or an exception naming the first field the API does not know. */
    static HasMetadata read(JsonNode manifest) {
        String key = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        CustomResourceSchema schema = CUSTOM_RESOURCES.get(key);
        if (schema != null) {
            java.util.List<String> problems = schema.violations(manifest);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(key + " " + manifest.path("metadata").path("name").asText() + ": " + problems);
            }
            return new ObjectMapper().convertValue(manifest, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        }
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException("no API model for " + key + " (add it to KubernetesModel.KINDS)");
        }
        return strictly(manifest, type, key + " " + manifest.path("metadata").path("name").asText());
    }

    /** {@code node} read into {@code type}, refusing any field the type does not have; errors name {@code what}. */
    static <T> T strictly(JsonNode node, Class<T> type, String what) {
        try {
            return STRICT.treeToValue(node, type);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException(what + ": " + ex.getOriginalMessage() + " at " + ex.getLocation(), ex);
        }
    }
}
