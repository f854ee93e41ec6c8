package dev.sagaplatform.order.orders;

import dev.sagaplatform.contracts.SagaFlow;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code orders_pending{flow}}: orders whose saga has not ended, read from the table, so that the figure is right across
 * restarts and replicas (a counter difference would not be). Cheap: the partial index {@code orders_pending_idx} holds
 * only PENDING rows, and the count is read at most once per {@link #MAX_AGE} however often Prometheus scrapes.
 * Ended orders are counters ({@code orders_approved_total}, {@code orders_rejected_total}): they grow without bound.
 */
@Component
class PendingOrdersGauge {

    private static final Logger log = LoggerFactory.getLogger(PendingOrdersGauge.class);

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private Map<SagaFlow, Long> last;
    private long readAt;

    PendingOrdersGauge(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        for (SagaFlow flow : SagaFlow.values()) {
            Gauge.builder("orders.pending", this, gauge -> gauge.pending(flow)).tag("flow", flow.name())
                    .description("Orders PENDING: sagas in flight (ended ones: orders_approved_total, orders_rejected_total)")
                    .register(registry);
        }
    }

    synchronized double pending(SagaFlow flow) {
        long now = System.nanoTime();
        if (last == null || now - readAt > MAX_AGE.toNanos()) {
            try {
                Map<SagaFlow, Long> counts = new EnumMap<>(SagaFlow.class);
                jdbc.sql("select flow, count(*) from orders where status = 'PENDING' group by flow")
                        .query((rs, row) -> counts.put(SagaFlow.valueOf(rs.getString(1)), rs.getLong(2)))
                        .list();
                last = counts;
                readAt = now;
            } catch (RuntimeException e) {
                // A scrape during a database outage must not fail the whole scrape.
                log.debug("could not count pending orders: {}", e.toString());
                last = null;
                return Double.NaN;
            }
        }
        return last.getOrDefault(flow, 0L);
    }
}
