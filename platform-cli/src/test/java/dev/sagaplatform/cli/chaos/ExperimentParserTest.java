package dev.sagaplatform.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.cli.chaos.experiment.ActionType;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.ExperimentException;
import dev.sagaplatform.cli.chaos.experiment.ExperimentParser;
import dev.sagaplatform.cli.chaos.experiment.MetricWatch;
import dev.sagaplatform.cli.chaos.experiment.ProbeType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExperimentParserTest {

    @Test
    void readsTheShortShapeAsEngineersWriteItForAClusterTheyHaveNotShownUs() throws Exception {
        Experiment experiment = ExperimentParser.parse("""
                experiment:
                  name: payment partitioned from kafka
                  hypothesis: orders keep flowing and nothing is lost
                  steady_state:
                    - probe: payment healthy
                      type: http
                      url: http://payment-service/health
                      expected_status: 200
                  method:
                    - action: network-partition
                      target: {service: payment-service, namespace: shop, to: kafka}
                      duration: 30s
                  rollback:
                    - action: heal-network
                  metrics_to_watch: ["error_rate < 1%", "p99_latency < 500ms", "write_success_ratio(order-service) > 99%"]
                  owner: team-payments
                """, "short.yaml");

        assertThat(experiment.shape()).isEqualTo(Experiment.Shape.SHORT);
        assertThat(experiment.title()).isEqualTo("payment partitioned from kafka");
        assertThat(experiment.steadyState()).singleElement().satisfies(probe -> {
            assertThat(probe.probe()).isEqualTo(ProbeType.HTTP);
            assertThat(probe.tolerance().accepts(200)).isTrue();
            assertThat(probe.tolerance().accepts(503)).isFalse();
        });
        assertThat(experiment.method()).singleElement().satisfies(step -> {
            assertThat(step.action()).isEqualTo(ActionType.PARTITION);
            assertThat(step.service()).isEqualTo("payment-service");
            assertThat(step.peer()).isEqualTo("kafka");
            assertThat(step.duration()).isEqualTo(Duration.ofSeconds(30));
            assertThat(step.line()).isEqualTo(10);
        });
        assertThat(experiment.metricsToWatch()).extracting(MetricWatch::metric)
                .containsExactly(MetricWatch.Metric.ERROR_RATE, MetricWatch.Metric.LATENCY, MetricWatch.Metric.WRITE_SUCCESS_RATIO);
        assertThat(experiment.metricsToWatch().get(0).threshold()).isEqualTo(0.01);
        assertThat(experiment.metricsToWatch().get(2).service()).isEqualTo("order-service");
        assertThat(experiment.notes()).anySatisfy(note -> assertThat(note).contains("line 10").contains("namespace 'shop'"))
                .anySatisfy(note -> assertThat(note).contains("line 16").contains("'experiment.owner' is not used"));
        assertThat(experiment.needsFaultProxy()).isTrue();
    }

    @Test
    void readsChaosToolkitsShape() throws Exception {
        Experiment experiment = ExperimentParser.parse("""
                version: 1.0.0
                title: The gateway slows down
                description: payment-service's time limiter and retries keep charges single
                tags: [gateway]
                steady-state-hypothesis:
                  title: the shop answers
                  probes:
                    - type: probe
                      name: order-service-ready
                      tolerance: [200, 204]
                      provider:
                        type: http
                        url: http://order-service/actuator/health/readiness
                        timeout: 3
                    - type: probe
                      name: no-stuck-sagas
                      tolerance: {type: range, range: [0, 0]}
                      provider: {type: python, module: sagaplatform.probes, func: sagas, arguments: {state: STUCK}}
                method:
                  - type: action
                    name: slow-gateway
                    provider:
                      type: python
                      module: sagaplatform.actions
                      func: gateway_fault
                      arguments: {latency: 2s, error_rate: 20%, duration: 45}
                    pauses: {after: 5}
                rollbacks:
                  - type: action
                    name: heal
                    provider: {type: python, module: sagaplatform.actions, func: heal_gateway}
                extensions:
                  - name: saga-platform
                    load: {rate: 8, flow: ORCHESTRATION}
                    metrics_to_watch: ["timed_out_orders == 0"]
                """, "toolkit.yaml");

        assertThat(experiment.shape()).isEqualTo(Experiment.Shape.CHAOS_TOOLKIT);
        assertThat(experiment.hypothesis()).isEqualTo("the shop answers");
        assertThat(experiment.steadyState()).hasSize(2);
        assertThat(experiment.steadyState().get(0).tolerance().accepts(204)).isTrue();
        assertThat(experiment.steadyState().get(1).tolerance().accepts(1)).isFalse();
        assertThat(experiment.method()).singleElement().satisfies(step -> {
            assertThat(step.action()).isEqualTo(ActionType.GATEWAY_FAULT);
            assertThat(step.duration()).isEqualTo(Duration.ofSeconds(45));
            assertThat(step.number("error_rate", 0)).isEqualTo(0.2);
            assertThat(step.durationArgument("latency", null)).isEqualTo(Duration.ofSeconds(2));
            assertThat(step.pauseAfter()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(experiment.rollbacks()).extracting(a -> a.action()).containsExactly(ActionType.HEAL_GATEWAY);
        assertThat(experiment.load()).isEqualTo(new Experiment.LoadProfile(8, "ORCHESTRATION"));
        assertThat(experiment.metricsToWatch()).extracting(MetricWatch::metric).containsExactly(MetricWatch.Metric.TIMED_OUT_ORDERS);
        assertThat(experiment.notes()).isEmpty();
    }

    @Test
    void refusesAMalformedFileWithEveryProblemAtItsLineAndTheAllowedValues() {
        assertThatThrownBy(() -> ExperimentParser.parse("""
                experiment:
                  name: broken
                  method:
                    - action: explode
                      target: {service: payment-service}
                    - action: kill
                      target: {service: billing-service}
                    - action: latency
                      target: {service: order-service, to: kafka}
                      latency: fast
                      duration: 2h
                    - action: pause
                      target: payment-service
                  metrics_to_watch: ["eror_rate < 1%", "p99_latency < 5%"]
                """, "broken.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).extracting(Object::toString)
                        .anySatisfy(p -> assertThat(p).startsWith("line 4: unknown action 'explode': one of kill, pause,"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 7: unknown service 'billing-service': one of postgres, kafka,"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("line 10: latency: 'fast' is not a duration: write e.g. 500ms, 30s, 2m or 1h (a bare number is seconds)"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 11: duration 2h is longer than the 10m"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 12: pause needs a duration"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 14: 'eror_rate < 1%': cannot evaluate 'eror_rate'. Metrics it can evaluate: error_rate"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 14: 'p99_latency < 5%': p99_latency is a time")));
    }

    @Test
    void refusesYamlThatDoesNotParseAtItsLine() {
        assertThatThrownBy(() -> ExperimentParser.parse("experiment:\n  name: x\n  method: [\n", "bad.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.line()).isEqualTo(4);
                            assertThat(p.message()).startsWith("not valid YAML");
                        }));
    }

    @Test
    void aNetworkFaultNeedsAPathThePlatformHas() {
        assertThatThrownBy(() -> ExperimentParser.parse("""
                experiment:
                  name: x
                  method:
                    - action: partition
                      between: [inventory-service, payment-gateway]
                      duration: 10s
                """, "x.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.toString()).startsWith("line 4: no path inventory-service -> payment-gateway on this platform;"
                                + " paths: order-service -> kafka")));
    }

    @Test
    void refusesWhatWouldOnlyFailOnceTheRunHadStarted() {
        assertThatThrownBy(() -> ExperimentParser.parse("""
                experiment:
                  name: late failures
                  steady_state:
                    - probe: odd range
                      type: sagas
                      state: STUCK
                      tolerance: {type: range, range: [0, [1]]}
                    - probe: bad regex
                      type: http
                      url: http://localhost/health
                      method: GETT
                      tolerance: {type: regex, pattern: "(unclosed"}
                  method:
                    - action: latency
                      target: {service: order-service, to: kafka}
                      latency: 1s
                      stream: upsteam
                      duration: 5s
                    - action: poison-message
                      topic: order.event
                      count: 1e9
                  rollback:
                    - probe: a probe where only actions go
                      type: orders
                      status: PENDING
                      max: 0
                  rollbacks:
                    - action: heal-network
                """, "late.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).extracting(Object::toString)
                        .anySatisfy(p -> assertThat(p).startsWith("line 7: a range tolerance needs range: [low, high]"))
                        .anySatisfy(p -> assertThat(p).contains("localhost needs a port"))
                        .anySatisfy(p -> assertThat(p).contains("method 'GETT': GET, HEAD, POST, PUT or DELETE"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 12: pattern '(unclosed' is not a regular expression"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 14: stream 'upsteam': downstream, upstream or both"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 19: topic 'order.event' is none of the platform's: order.events,"))
                        .anySatisfy(p -> assertThat(p).startsWith("line 19: count 1000000000 is out of range: 1 to 1000"))
                        .anySatisfy(p -> assertThat(p).contains("rollbacks hold actions only"))
                        .anySatisfy(p -> assertThat(p).contains("give rollback: or rollbacks:, not both")));
    }

    @Test
    void anEmptyMethodIsRefusedAndOddNumbersNeverCrashTheParser() {
        assertThatThrownBy(() -> ExperimentParser.parse("experiment:\n  name: x\n  method: []\n", "x.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("method is missing or empty")));
        assertThatThrownBy(() -> ExperimentParser.parse("""
                experiment:
                  name: x
                  steady_state:
                    - {probe: p, type: sagas, state: STUCK, tolerance: .nan}
                    - {probe: q, type: sagas, state: STUCK, tolerance: {type: range, range: [0, .inf]}}
                  method:
                    - action: kill
                      target: payment-service
                  load: {rate: .nan}
                """, "x.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).extracting(Object::toString)
                        .anySatisfy(p -> assertThat(p).startsWith("line 5: a range tolerance needs range"))
                        .anySatisfy(p -> assertThat(p).contains("load.rate '.nan': orders per second, 0 to 200")));
    }

    @Test
    void aReplicaInTheTargetActsOnOneInstanceAndRollingRestartIsAnAction() throws Exception {
        Experiment experiment = ExperimentParser.parse("""
                experiment:
                  name: one order-service instance dies, the others restart one by one
                  method:
                    - action: kill
                      target: {service: order-service, replica: 2}
                    - action: pause
                      target: {service: inventory, replica: 1}
                      duration: 5s
                    - action: kill
                      target: payment-service
                    - action: rollout-restart
                      target: {service: order-service}
                """, "replicas.yaml");
        assertThat(experiment.method()).extracting(step -> step.action()).containsExactly(ActionType.KILL, ActionType.PAUSE,
                ActionType.KILL, ActionType.ROLLING_RESTART);
        assertThat(experiment.method()).extracting(step -> step.replica()).containsExactly(2, 1, null, null);
        assertThat(experiment.method().get(0).describe()).isEqualTo("kill order-service (replica=2)");
    }

    @Test
    void refusesAReplicaThatCannotExist() {
        int max = dev.sagaplatform.contracts.Topics.PARTITIONS;
        assertThatThrownBy(() -> ExperimentParser.parse("""
                experiment:
                  name: x
                  method:
                    - action: kill
                      target: {service: order-service, replica: 0}
                    - action: restart
                      target: {service: order-service, replica: %d}
                    - action: kill
                      target: {service: kafka, replica: 2}
                    - action: latency
                      target: {service: order-service, to: inventory-service, replica: 2}
                      latency: 100ms
                      duration: 10s
                    - action: pause
                      target: {service: payment-service, replica: second}
                      duration: 10s
                """.formatted(max + 1), "x.yaml"))
                .isInstanceOfSatisfying(ExperimentException.class, e -> assertThat(e.problems()).extracting(Object::toString).containsExactly(
                        "line 5: replica 0 is out of range: 1 to " + max + " (instances are counted from 1; a service runs at most as many"
                                + " as a topic has partitions)",
                        "line 7: replica " + (max + 1) + " is out of range: 1 to " + max + " (instances are counted from 1; a service runs"
                                + " at most as many as a topic has partitions)",
                        "line 9: replica: names one instance of a service that may run several (order-service, payment-service,"
                                + " inventory-service, saga-orchestrator, outbox-relay, saga-console), not kafka",
                        "line 11: replica: is for kill, pause, restart; latency acts on every instance",
                        "line 15: replica 'second': a whole number from 1 to " + max + " (instance 1 is the service's first process)"));
    }
}
