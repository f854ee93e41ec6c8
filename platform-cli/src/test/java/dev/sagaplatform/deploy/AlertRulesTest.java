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

/** monitoring/alerts.yml: well-formed rules, each on a metric the relay really exports (a renamed meter must fail here). */
class AlertRulesTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleIsCompleteAndWatchesAMetricTheRelayExports() throws IOException {
        Map<String, Object> file = Repository.yaml(Repository.read(Repository.root().resolve("monitoring/alerts.yml")));
        List<Map<String, Object>> rules = ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(4);
        String relaySources = relaySources();
        for (Map<String, Object> rule : rules) {
            assertThat(rule).as(String.valueOf(rule.get("alert"))).containsKeys("alert", "expr", "labels", "annotations");
            assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
            Matcher metric = Pattern.compile("\\b(relay_[a-z_]+?)(_bytes|_seconds_bucket)?\\b").matcher(String.valueOf(rule.get("expr")));
            assertThat(metric.find()).as(rule.get("alert") + " watches a relay metric").isTrue();
            String meter = metric.group(1).replace('_', '.');
            assertThat(relaySources).as("a meter named " + meter + " in outbox-relay").contains("\"" + meter + "\"");
        }
    }

    private static String relaySources() throws IOException {
        Path folder = Repository.root().resolve("outbox-relay/src/main/java");
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
