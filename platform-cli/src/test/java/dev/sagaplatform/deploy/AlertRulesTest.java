package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * monitoring/alerts.yml: well-formed rules, each on metrics a service was seen to expose (monitoring/exposed-metrics,
 * recorded by the services' own tests: a renamed meter fails there, a misspelt one here).
 */
class AlertRulesTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        Map<String, Object> file = Repository.yaml(Repository.read(Repository.root().resolve("monitoring/alerts.yml")));
        return ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleIsCompleteAndWatchesMetricsThePlatformExposes() {
        Set<String> exposed = PromQl.exposedNames();
        for (Map<String, Object> rule : rules()) {
            String alert = String.valueOf(rule.get("alert"));
            assertThat(rule).as(alert).containsKeys("alert", "expr", "labels", "annotations");
            assertThat((Map<String, Object>) rule.get("labels")).as(alert).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).as(alert).containsKey("summary");
            Set<String> metrics = PromQl.metricNames(String.valueOf(rule.get("expr")));
            assertThat(metrics).as(alert + " watches a metric").isNotEmpty();
            assertThat(exposed).as(alert + " reads only exposed metrics").containsAll(metrics);
        }
    }

    /** Issue #12's alerts: stuck sagas, dead letters, relay lag, an open breaker. */
    @Test
    void alertsOnStuckSagasDeadLettersRelayLagAndOpenBreakers() {
        Map<String, String> expressions = new java.util.HashMap<>();
        rules().forEach(rule -> expressions.put(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr"))));
        assertThat(expressions).containsKeys("SagasStuck", "MessagesDeadLettered", "RelayPublishLagHigh", "RelayBehindTheWal",
                "CircuitBreakerOpen");
        assertThat(expressions.get("SagasStuck")).contains("saga_stuck").endsWith("> 0");
        assertThat(expressions.get("MessagesDeadLettered")).contains("messaging_dead_letters_total").endsWith("> 0");
        assertThat(expressions.get("CircuitBreakerOpen")).contains("resilience4j_circuitbreaker_state", "open");
    }

    @Test
    void alertNamesAreUnique() {
        List<Object> names = rules().stream().map(rule -> rule.get("alert")).toList();
        assertThat(names).doesNotHaveDuplicates();
    }
}
