package dev.sagaplatform.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A custom resource checked against its CustomResourceDefinition's OpenAPI v3 schema, for operators that publish no
 * Java API model (CloudNativePG; Strimzi's resources are read into its model, {@link KubernetesModel}).
 * <p>
 * As strict as {@code kubectl apply} (server-side field validation {@code Strict}, its default): a field the schema
 * does not declare is an error unless the schema preserves unknown fields there; so are a wrong type, a value outside
 * an {@code enum}, a missing {@code required} field, a string not matching its {@code pattern} or length bounds and a
 * number outside {@code minimum}/{@code maximum}. The apiVersion must be one the CRD serves, and metadata is read
 * strictly into the Kubernetes ObjectMeta.
 * <p>
 * Not checked: {@code format}, and the CEL rules ({@code x-kubernetes-validations}) and admission webhooks the API
 * server and the operator add; a manifest can pass here and still be refused by those.
 */
final class CustomResourceSchema {

    private final String group;
    private final String kind;
    private final Map<String, JsonNode> servedVersions = new HashMap<>();

    private CustomResourceSchema(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        this.group = spec.path("group").asText();
        this.kind = spec.path("names").path("kind").asText();
        for (JsonNode version : spec.path("versions")) {
            if (version.path("served").asBoolean(false)) {
                servedVersions.put(version.path("name").asText(), version.path("schema").path("openAPIV3Schema"));
            }
        }
        if (group.isEmpty() || kind.isEmpty() || servedVersions.isEmpty()) {
            throw new IllegalArgumentException("not a CustomResourceDefinition with a served version: " + crd.path("metadata").path("name"));
        }
    }

    /** The CRD in a class path resource (a vendored copy, platform-cli/src/test/resources). */
    static CustomResourceSchema fromResource(String resource) {
        try (InputStream in = CustomResourceSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no class path resource " + resource);
            }
            List<JsonNode> documents = Kustomize.documents(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (documents.size() != 1 || !documents.get(0).path("kind").asText().equals("CustomResourceDefinition")) {
                throw new IllegalArgumentException(resource + " is not one CustomResourceDefinition");
            }
            return new CustomResourceSchema(documents.get(0));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    String group() {
        return group;
    }

    String kind() {
        return kind;
    }

    java.util.Set<String> servedVersions() {
        return java.util.Set.copyOf(servedVersions.keySet());
    }

    /** Every way {@code manifest} breaks the schema, each as "path: problem"; empty when it is valid. */
    List<String> violations(JsonNode manifest) {
        List<String> problems = new ArrayList<>();
        String apiVersion = manifest.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        String version = slash < 0 ? "" : apiVersion.substring(slash + 1);
        if (slash < 0 || !apiVersion.substring(0, slash).equals(group) || !servedVersions.containsKey(version)) {
            problems.add("apiVersion: " + apiVersion + " is not served (" + group + "/" + servedVersions.keySet() + ")");
            return problems;
        }
        if (!manifest.path("kind").asText().equals(kind)) {
            problems.add("kind: " + manifest.path("kind").asText() + ", the CRD defines " + kind);
            return problems;
        }
        try {
            KubernetesModel.strictly(manifest.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class, "ObjectMeta");
        }
        catch (IllegalArgumentException ex) {
            problems.add("metadata: " + ex.getMessage());
        }
        JsonNode root = servedVersions.get(version);
        Iterator<Map.Entry<String, JsonNode>> fields = manifest.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (List.of("apiVersion", "kind", "metadata").contains(field.getKey())) {
                continue;
            }
            JsonNode schema = root.path("properties").path(field.getKey());
            if (schema.isMissingNode()) {
                problems.add(field.getKey() + ": unknown field");
            }
            else {
                check(field.getValue(), schema, field.getKey(), problems);
            }
        }
        for (JsonNode required : root.path("required")) {
            if (!manifest.has(required.asText())) {
                problems.add(required.asText() + ": required");
            }
        }
        return problems;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(path + ": null");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(path + ": " + value + " is neither an integer nor a string");
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typed = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            // No type: only allowed where unknown fields are preserved (structural schemas), anything goes.
            default -> true;
        };
        if (!typed) {
            problems.add(path + ": " + value + " is not of type " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.path("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(path + ": " + value + " is not one of " + schema.path("enum"));
            }
        }
        if (value.isTextual()) {
            String text = value.asText();
            if (schema.has("pattern") && !Pattern.compile(schema.path("pattern").asText()).matcher(text).find()) {
                problems.add(path + ": '" + text + "' does not match " + schema.path("pattern").asText());
            }
            if (schema.has("minLength") && text.codePointCount(0, text.length()) < schema.path("minLength").asInt()) {
                problems.add(path + ": shorter than " + schema.path("minLength").asInt());
            }
            if (schema.has("maxLength") && text.codePointCount(0, text.length()) > schema.path("maxLength").asInt()) {
                problems.add(path + ": longer than " + schema.path("maxLength").asInt());
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.path("minimum").decimalValue()) < 0) {
                problems.add(path + ": " + value + " is less than " + schema.path("minimum"));
            }
            if (schema.has("maximum") && value.decimalValue().compareTo(schema.path("maximum").decimalValue()) > 0) {
                problems.add(path + ": " + value + " is more than " + schema.path("maximum"));
            }
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.path("minItems").asInt()) {
                problems.add(path + ": fewer than " + schema.path("minItems").asInt() + " items");
            }
            if (schema.has("maxItems") && value.size() > schema.path("maxItems").asInt()) {
                problems.add(path + ": more than " + schema.path("maxItems").asInt() + " items");
            }
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            checkObject(value, schema, path, problems);
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode alternative : schema.path("anyOf")) {
                List<String> own = new ArrayList<>();
                check(value, alternative, path, own);
                any |= own.isEmpty();
            }
            if (!any) {
                problems.add(path + ": " + value + " matches none of " + schema.path("anyOf"));
            }
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, List<String> problems) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String where = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.path(field.getKey()), where, problems);
            }
            else if (additional.isObject()) {
                check(field.getValue(), additional, where, problems);
            }
            else if (!(additional.isBoolean() && additional.asBoolean()) && !preserveUnknown) {
                // kubectl apply's strict field validation refuses it; without it the API server would drop it silently.
                problems.add(where + ": unknown field");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(path + "." + required.asText() + ": required");
            }
        }
    }
}
