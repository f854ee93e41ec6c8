package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** monitoring/alerts.yml: well-formed rules, each on a metric the platform really exports (a renamed meter must fail here). */
class AlertRulesTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleIsCompleteAndWatchesAMetricThePlatformExports() throws IOException {
        Map<String, Object> file = Repository.yaml(Repository.read(Repository.root().resolve("monitoring/alerts.yml")));
        List<Map<String, Object>> rules = ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(4);
        String sources = mainSources();
        for (Map<String, Object> rule : rules) {
            assertThat(rule).as(String.valueOf(rule.get("alert"))).containsKeys("alert", "expr", "labels", "annotations");
            assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
            Matcher metric = Pattern.compile("\\b((?:relay|messaging|payments)_[a-z_]+?)(_bytes|_seconds_bucket|_total)?\\b").matcher(String.valueOf(rule.get("expr")));
            assertThat(metric.find()).as(rule.get("alert") + " watches a platform metric").isTrue();
            String meter = metric.group(1).replace('_', '.');
            assertThat(sources).as("a meter named " + meter + " in the services' code").contains("\"" + meter + "\"");
        }
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String module : List.of("outbox-relay", "platform-messaging", "payment-service")) {
            try (Stream<Path> files = Files.walk(Repository.root().resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(file));
                }
            }
        }
        return all.toString();
    }
}
