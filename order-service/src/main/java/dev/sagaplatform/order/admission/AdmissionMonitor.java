package dev.sagaplatform.order.admission;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads what admission control needs from the order table, the one place that knows every saga of
 * every order-service instance: orders still {@code PENDING}, and orders that ended within the window.
 * Two counts over an index every {@code refresh-interval}; the web path only reads the last result.
 */
@Component
class AdmissionMonitor {

    private static final Logger log = LoggerFactory.getLogger(AdmissionMonitor.class);

    private final SagaAdmission admission;
    private final JdbcClient jdbc;
    private final AdmissionProperties properties;
    private final Clock clock;
    private volatile boolean warnedOnce;

    AdmissionMonitor(SagaAdmission admission, JdbcClient jdbc, AdmissionProperties properties, Clock clock, MeterRegistry meters) {
        this.admission = admission;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("orders.admission.limit", admission, a -> a.snapshot().limit())
                .description("Sagas allowed in flight at once (Little's law: completions per second x target latency)")
                .register(meters);
        Gauge.builder("orders.admission.in.flight", admission, SagaAdmission::inFlightEstimate)
                .description("Sagas in flight: orders PENDING at the last reading plus those admitted since")
                .register(meters);
        FunctionCounter.builder("orders.admission.refused", admission, SagaAdmission::refusedCount)
                .description("Orders refused at the door with 503 at-capacity, nothing stored")
                .register(meters);
    }

    void refresh() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime since = now.minus(properties.window());
        long pending = jdbc.sql("select count(*) from orders where status = 'PENDING' and created_at >= :freshSince")
                .param("freshSince", now.minus(properties.staleAfter())).query(Long.class).single();
        long ended = jdbc.sql("select count(*) from orders where updated_at >= :since and status <> 'PENDING'")
                .param("since", since).query(Long.class).single();
        admission.observe(pending, ended);
    }

    /**
     * On the application's scheduler, like the other periodic work of order-service: an hourly key clean-up
     * sharing its thread only delays a reading, and a stale reading plus the places counted since errs by
     * at most what was admitted meanwhile.
     */
    @Scheduled(fixedDelayString = "${orders.admission.refresh-interval:100ms}")
    void refreshQuietly() {
        if (!properties.enabled()) {
            return;
        }
        try {
            refresh();
            warnedOnce = false;
        } catch (RuntimeException e) {
            // Keep the last reading: the database being away shows up on the placement path anyway.
            if (!warnedOnce) {
                log.warn("admission control could not read the order table: {}", e.toString());
                warnedOnce = true;
            }
        }
    }
}
