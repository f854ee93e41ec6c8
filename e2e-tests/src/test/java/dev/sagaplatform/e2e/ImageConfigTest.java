package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every service's container image as Jib builds it in {@code ./mvnw verify} (the parent pom's
 * {@code image-config-check} execution: the real configuration on a {@code scratch} base, since the base image's
 * registry is not reachable from every build): non-root, the same JVM flags, the service's port, labels, layered.
 * Reads the OCI tarball each module's {@code package} left in its target folder.
 */
@org.junit.jupiter.api.Tag("build-outputs") // needs the package phase: -Pfast leaves it out
class ImageConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<org.junit.jupiter.params.provider.Arguments> images() {
        return Map.of("order-service", 8081, "payment-service", 8082, "inventory-service", 8083, "saga-orchestrator", 8084,
                "outbox-relay", 8085, "payment-gateway", 8086, "saga-console", 8087).entrySet().stream()
                .map(e -> org.junit.jupiter.params.provider.Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void theImageRunsTheServiceAsANonRootUserOnItsPortWithTheSharedJvmFlags(String module, int port) {
        Path tar = Path.of(System.getProperty("e2e.modules.dir", ".."), module, "target", "jib-image-check.tar");
        assertThat(tar).as("built by jib:buildTar in the module's package phase (./mvnw -B verify)").isRegularFile();
        Map<String, byte[]> files = read(tar);

        JsonNode index = json(files.get("index.json"));
        JsonNode descriptor = index.path("manifests").get(0);
        String imageTag = descriptor.path("annotations").path("org.opencontainers.image.ref.name").asString();
        assertThat(imageTag).isEqualTo("saga-platform/" + module + ":0.1.0");
        JsonNode manifest = json(files.get(blob(descriptor.path("digest").asString())));
        JsonNode config = json(files.get(blob(manifest.path("config").path("digest").asString()))).path("config");

        assertThat(config.path("User").asString()).isEqualTo("10001:10001");
        List<String> entrypoint = config.path("Entrypoint").valueStream().map(JsonNode::asString).toList();
        assertThat(entrypoint).startsWith("java", "-XX:MaxRAMPercentage=55", "-XX:+ExitOnOutOfMemoryError", "-cp",
                "@/app/jib-classpath-file");
        assertThat(entrypoint.get(entrypoint.size() - 1)).startsWith("dev.sagaplatform.").endsWith("Application");
        assertThat(config.path("ExposedPorts").propertyNames()).containsExactly(port + "/tcp");
        assertThat(config.path("Env").valueStream().map(JsonNode::asString)).contains("PORT=" + port);
        assertThat(config.path("Labels").path("org.opencontainers.image.title").asString()).isEqualTo(module);
        assertThat(config.path("Labels").path("org.opencontainers.image.version").asString()).isNotBlank();
        // Layered: the large, rarely changing dependencies apart from the platform's own libraries and the service's classes.
        assertThat(manifest.path("layers").size()).isGreaterThanOrEqualTo(4);
        long dependencies = manifest.path("layers").get(0).path("size").asLong();
        long classes = manifest.path("layers").get(manifest.path("layers").size() - 2).path("size").asLong();
        assertThat(dependencies).isGreaterThan(10 * classes);
    }

    private static String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static JsonNode json(byte[] bytes) {
        assertThat(bytes).as("entry of the image tarball").isNotNull();
        return JSON.readTree(bytes);
    }

    /** The tarball's small entries (index, manifest, config); layers are only sized, never read. */
    private static Map<String, byte[]> read(Path tar) {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                if (entry.isFile() && entry.getSize() < 1_000_000) {
                    files.put(entry.getName().replaceFirst("^\\./", ""), entries.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
