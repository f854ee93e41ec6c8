package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * k8s/README.md's install steps, as a user would type them: the namespace exists before the Strimzi operator is
 * installed into it (else the operator lands in the current namespace and never reconciles the Kafka in
 * saga-platform), the operator is the exact version the manifests are validated against (the Strimzi api model on
 * this test's classpath), and that version serves the apiVersion every Strimzi resource uses.
 */
class StrimziInstallTest {

    private static final Path K8S = Repository.root().resolve("k8s");
    private static final String NAMESPACE = "saga-platform";

    /** The shell commands of the README's Install section, in order (continuation lines joined). */
    static List<String> installCommands() {
        String readme = Repository.read(K8S.resolve("README.md"));
        int start = readme.indexOf("\n## Install");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("k8s/README.md has an Install section").isPositive();
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> commands = new ArrayList<>();
        Matcher block = Pattern.compile("```(?:bash|sh|shell)\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            StringBuilder command = new StringBuilder();
            for (String line : block.group(1).split("\n")) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                if (text.endsWith("\\")) {
                    command.append(text, 0, text.length() - 1).append(' ');
                    continue;
                }
                commands.add(command.append(text).toString().replaceAll("\\s+", " "));
                command.setLength(0);
            }
        }
        return commands;
    }

    /** The version of the Strimzi api model the manifests are read into (KubernetesModel). */
    static String vendoredStrimziVersion() {
        try (InputStream in = Kafka.class.getResourceAsStream("/META-INF/maven/io.strimzi/api/pom.properties")) {
            assertThat(in).as("io.strimzi:api's pom.properties on the test class path").isNotNull();
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static int indexOf(List<String> commands, String what, java.util.function.Predicate<String> matches) {
        for (int i = 0; i < commands.size(); i++) {
            if (matches.test(commands.get(i))) {
                return i;
            }
        }
        throw new AssertionError("k8s/README.md's Install section has no command that " + what + ": " + commands);
    }

    private static boolean installsTheOperator(String command) {
        return command.contains("strimzi") && (command.startsWith("helm install") || command.startsWith("helm upgrade")
                || command.startsWith("kubectl create -f") || command.startsWith("kubectl apply -f"));
    }

    @Test
    void theNamespaceExistsBeforeTheOperatorIsInstalledIntoItAndThePlatformComesLast() {
        List<String> commands = installCommands();
        int namespace = indexOf(commands, "creates the namespace " + NAMESPACE, c -> c.equals("kubectl create namespace " + NAMESPACE)
                || c.equals("kubectl apply -f k8s/base/namespace.yaml"));
        int operator = indexOf(commands, "installs the Strimzi operator", StrimziInstallTest::installsTheOperator);
        int platform = indexOf(commands, "applies an overlay", c -> c.startsWith("kubectl apply -k k8s/overlays/"));
        assertThat(namespace).as("the namespace before the operator").isLessThan(operator);
        assertThat(operator).as("the operator (and its CRDs) before the Kafka resources").isLessThan(platform);
        String install = commands.get(operator);
        assertThat(install.contains("--namespace " + NAMESPACE) || install.contains("-n " + NAMESPACE)
                || install.contains("namespace=" + NAMESPACE)).as("the operator is installed into " + NAMESPACE + ": " + install).isTrue();
        // The operator's Deployment is ready before the Kafka resources are applied.
        int waits = indexOf(commands, "waits for the operator", c -> c.contains("rollout status") && c.contains("strimzi-cluster-operator"));
        assertThat(waits).isBetween(operator + 1, platform - 1);
        assertThat(commands.get(waits)).contains(NAMESPACE);
    }

    @Test
    void theReadmesOperatorIsTheVersionTheManifestsAreValidatedAgainst() {
        String install = installCommands().stream().filter(StrimziInstallTest::installsTheOperator).findFirst().orElseThrow();
        assertThat(install).as("no floating 'latest' operator: its served apiVersions change").doesNotContain("latest");
        Matcher version = Pattern.compile("(?:--version |/download/|strimzi-cluster-operator-)(\\d+\\.\\d+\\.\\d+)").matcher(install);
        assertThat(version.find()).as("the install command names an exact operator version: " + install).isTrue();
        assertThat(version.group(1)).isEqualTo(vendoredStrimziVersion());
        assertThat(Repository.read(K8S.resolve("README.md"))).contains("Strimzi " + vendoredStrimziVersion());
    }

    /** Each Strimzi kind's model class lists the apiVersions its version serves (static VERSIONS, e.g. 0.48: v1beta2 only). */
    @Test
    void theManifestsUseAnApiVersionThatOperatorServes() throws ReflectiveOperationException {
        Assumptions.assumeTrue(Kustomize.available(), "kubectl (with its built-in kustomize) is not on PATH");
        for (String overlay : List.of("overlays/dev", "overlays/production")) {
            for (JsonNode manifest : Kustomize.render(K8S.resolve(overlay))) {
                String apiVersion = manifest.path("apiVersion").asText();
                if (!apiVersion.startsWith("kafka.strimzi.io/")) {
                    continue;
                }
                Class<?> model = KubernetesModel.KINDS.get(apiVersion + "/" + manifest.path("kind").asText());
                assertThat(model).as(overlay + ": " + apiVersion + " " + manifest.path("kind").asText() + " has an API model").isNotNull();
                @SuppressWarnings("unchecked")
                List<String> served = (List<String>) model.getField("VERSIONS").get(null);
                assertThat(served).as(model.getSimpleName() + " of Strimzi " + vendoredStrimziVersion())
                        .contains(apiVersion.substring(apiVersion.indexOf('/') + 1));
            }
        }
    }
}
