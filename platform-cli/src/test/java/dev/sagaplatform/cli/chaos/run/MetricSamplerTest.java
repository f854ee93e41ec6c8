package dev.sagaplatform.cli.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.cli.chaos.experiment.MetricWatch;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metric expressions evaluated over scrapes as a run takes them: increases across restarts, ratios, histogram percentiles. */
class MetricSamplerTest {

    /** A scrape of order-service; the 503 and TIMED_OUT series exist only once something was counted in them. */
    private static String scrape(long ok, long failed, long fast, long slow) {
        String text = """
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_count{method="POST",status="202",uri="/orders"} %d
                http_server_requests_seconds_count{method="GET",status="200",uri="/actuator/health"} 999
                http_server_requests_seconds_bucket{method="POST",status="202",uri="/orders",le="0.1"} %d
                http_server_requests_seconds_bucket{method="POST",status="202",uri="/orders",le="1.0"} %d
                http_server_requests_seconds_bucket{method="POST",status="202",uri="/orders",le="+Inf"} %d
                """.formatted(ok, fast, fast + slow, fast + slow);
        if (failed > 0) {
            text += "http_server_requests_seconds_count{method=\"POST\",status=\"503\",uri=\"/orders\"} " + failed + "\n"
                    + "orders_rejected_total{flow=\"ORCHESTRATION\",reason=\"TIMED_OUT\"} " + failed + "\n";
        }
        return text;
    }

    private static MetricSampler.Scrape at(long nanos, String text) {
        return new MetricSampler.Scrape(nanos, "order-service", MetricSampler.parse(text));
    }

    @Test
    void countsIncreasesAcrossARestartAndSeriesBornDuringTheRun() {
        var window = java.util.List.of(at(1, scrape(100, 0, 100, 0)), at(2, scrape(150, 0, 150, 0)),
                at(3, scrape(20, 5, 18, 2)) /* restarted: counters from zero */, at(4, scrape(40, 5, 36, 4)));
        MetricSampler sampler = new MetricSampler(Map.of("order-service", URI.create("http://localhost:1/")));
        window.forEach(sampler::add);

        // 50 + 20 (after the reset) + 20 accepted; 5 refused, counted although their series appeared only after the restart.
        MetricSampler.Reading errors = sampler.evaluate(MetricWatch.parse("error_rate < 1%", 1), 0);
        assertThat(errors.value()).isEqualTo(5.0 / 95.0);
        assertThat(MetricWatch.parse("error_rate < 1%", 1).holds(errors.value())).isFalse();
        assertThat(sampler.evaluate(MetricWatch.parse("write_success_ratio > 90%", 1), 0).value()).isCloseTo(90.0 / 95.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(sampler.evaluate(MetricWatch.parse("timed_out_orders == 0", 1), 0).value()).isEqualTo(5.0);
        // 90 requests: 86 under 100 ms, 4 under 1 s. p99 is in the 1 s bucket, p90 in the 100 ms one.
        assertThat(sampler.evaluate(MetricWatch.parse("p99_latency < 500ms", 1), 0).value()).isEqualTo(1000.0);
        assertThat(sampler.evaluate(MetricWatch.parse("p90_latency < 500ms", 1), 0).value()).isEqualTo(100.0);
    }

    /** With several instances (./platform up --replicas) a service's figures are those of all of them, each counter followed on its own. */
    @Test
    void addsUpTheInstancesOfAServiceEachWithItsOwnCounters() {
        MetricSampler sampler = new MetricSampler(Map.of("order-service", URI.create("http://localhost:1/"),
                "order-service-2", URI.create("http://localhost:2/")));
        // Interleaved as a run scrapes them; instance 2's counters are far below instance 1's, which is no restart.
        sampler.add(at(1, scrape(100, 0, 100, 0)));
        sampler.add(new MetricSampler.Scrape(2, "order-service-2", MetricSampler.parse(scrape(10, 0, 10, 0))));
        sampler.add(at(3, scrape(150, 0, 150, 0)));
        sampler.add(new MetricSampler.Scrape(4, "order-service-2", MetricSampler.parse(scrape(40, 10, 40, 0))));

        // 50 accepted on instance 1, 30 on instance 2, and instance 2's 10 refusals.
        assertThat(sampler.evaluate(MetricWatch.parse("error_rate < 1%", 1), 0).value()).isEqualTo(10.0 / 90.0);
        assertThat(sampler.evaluate(MetricWatch.parse("timed_out_orders == 0", 1), 0).value()).isEqualTo(10.0);
        assertThat(MetricSampler.isInstanceOf("order-service-2", "order-service")).isTrue();
        assertThat(MetricSampler.isInstanceOf("order-service-x", "order-service")).isFalse();
        assertThat(MetricSampler.isInstanceOf("payment-service", "order-service")).isFalse();
    }
}
