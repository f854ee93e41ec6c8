package dev.sagaplatform.payment.payment;

import dev.sagaplatform.payment.payment.gateway.GatewayRefusedException;
import dev.sagaplatform.payment.payment.gateway.GatewayUnavailableException;
import dev.sagaplatform.payment.payment.gateway.GatewayProperties;
import dev.sagaplatform.payment.payment.gateway.PaymentGatewayClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refunds and voids at the gateway, sent after the decision that needs them has committed and retried until the
 * gateway confirms. The consumer's transaction records the return with the payment's new state; a gateway outage
 * then costs a row in {@code gateway_return}, not a Kafka partition held by a message redelivered without end
 * (which, with one consumer thread, would stop every payment). Both calls are safe to repeat: the refund key is
 * derived from the order, and voiding a key that was never charged only makes a late charge with it fail.
 *
 * <p>Rows are leased, not locked, while their call is in flight, so several replicas can send and a sender that
 * dies mid-call leaves its rows due again after the lease. While the gateway is unavailable a batch stops at the
 * first failure and each row backs off exponentially; a refusal (4xx) needs an operator, is counted and alerted
 * on, and is retried at a slow pace so that it goes through once the cause is fixed ({@link GatewayReturnRetries}).
 */
@Component
public class GatewayReturns implements GatewayReturnQueue {

    private static final Logger log = LoggerFactory.getLogger(GatewayReturns.class);

    private final JdbcClient jdbc;
    private final PaymentGatewayClient gateway;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final GatewayReturnRetries retries;
    private final int batchSize;

    GatewayReturns(JdbcClient jdbc, PaymentGatewayClient gateway, TransactionTemplate transactions, MeterRegistry meters,
                   GatewayProperties properties) {
        this.jdbc = jdbc;
        this.gateway = gateway;
        this.transactions = transactions;
        this.meters = meters;
        GatewayProperties.Returns returns = properties.returns();
        this.retries = new GatewayReturnRetries(returns.initialBackoff(), returns.maxBackoff(), returns.refusedRetryInterval());
        this.batchSize = returns.batchSize();
        Gauge.builder("payments.gateway.returns.pending", this, GatewayReturns::pendingCount)
                .description("refunds and voids recorded but not yet confirmed by the gateway").register(meters);
        // At zero, so that the alert on refused returns and the dashboards see each series before its first increment.
        for (String outcome : java.util.List.of("confirmed", "refused", "unavailable")) {
            meters.counter("payments.gateway.returns", "outcome", outcome);
        }
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void schedule(UUID orderId, Kind kind, BigDecimal amount) {
        jdbc.sql("insert into gateway_return (order_id, kind, amount) values (?, ?, ?) on conflict (order_id) do nothing")
                .params(orderId, kind.name(), amount).update();
    }

    /** Sends the returns that are due. */
    @Scheduled(initialDelayString = "${payment.gateway.returns.poll-interval:500ms}",
            fixedDelayString = "${payment.gateway.returns.poll-interval:500ms}")
    public void sendDue() {
        List<Due> due;
        try {
            due = claimDue();
        } catch (RuntimeException e) {
            log.warn("could not read the gateway returns that are due, retrying: {}", e.toString());
            return;
        }
        for (Due row : due) {
            GatewayReturnRetries.Outcome outcome;
            String error = null;
            try {
                gateway.refundOrVoid(row.orderId(), row.amount());
                // Inside the try: a row whose delete fails is retried like any other failure (a replay at the gateway).
                jdbc.sql("delete from gateway_return where order_id = ?").param(row.orderId()).update();
                outcome = GatewayReturnRetries.Outcome.CONFIRMED;
            } catch (GatewayRefusedException e) {
                outcome = GatewayReturnRetries.Outcome.REFUSED;
                error = e.getMessage();
            } catch (GatewayUnavailableException e) {
                outcome = GatewayReturnRetries.Outcome.UNAVAILABLE;
                error = e.getMessage();
            } catch (RuntimeException e) {
                outcome = GatewayReturnRetries.Outcome.FAILED;
                error = e.toString();
            }
            GatewayReturnRetries.Next next = retries.after(outcome, row.attempts());
            if (!next.done()) {
                retryLater(row, next.retryAfter(), next.refused(), error);
            }
            report(row, outcome, next, error);
            if (next.postponeRestOfBatch()) {
                postpone(due.subList(due.indexOf(row) + 1, due.size()), next.retryAfter());
                return;
            }
        }
    }

    private void report(Due row, GatewayReturnRetries.Outcome outcome, GatewayReturnRetries.Next next, String error) {
        String kind = row.kind().name().toLowerCase();
        switch (outcome) {
            case CONFIRMED -> {
                meters.counter("payments.gateway.returns", "outcome", "confirmed").increment();
                log.info("order {} {} of {} confirmed by the gateway{}", row.orderId(), kind, row.amount(),
                        row.attempts() > 0 ? " after " + (row.attempts() + 1) + " attempts" : "");
            }
            case REFUSED -> {
                meters.counter("payments.gateway.returns", "outcome", "refused").increment();
                log.error("order {} {} of {} REFUSED by the gateway (retrying every {} until the cause is fixed): {}",
                        row.orderId(), kind, row.amount(), next.retryAfter(), error);
            }
            case UNAVAILABLE -> {
                meters.counter("payments.gateway.returns", "outcome", "unavailable").increment();
                log.warn("order {} {} not sent, gateway unavailable; retrying in {}: {}", row.orderId(), kind,
                        next.retryAfter(), error);
            }
            case FAILED -> log.warn("order {} {} failed, retrying: {}", row.orderId(), kind, error);
        }
    }

    private record Due(UUID orderId, Kind kind, BigDecimal amount, int attempts) {
    }

    /** Leases up to a batch of due rows for twice the longest a call can take, so no other sender picks them meanwhile. */
    private List<Due> claimDue() {
        return transactions.execute(status -> jdbc.sql("""
                        update gateway_return set next_attempt_at = clock_timestamp() + interval '1 minute'
                        where order_id in (select order_id from gateway_return where next_attempt_at <= clock_timestamp()
                                           order by next_attempt_at limit :limit for update skip locked)
                        returning order_id, kind, amount, attempts""")
                .param("limit", batchSize)
                .query((rs, n) -> new Due(rs.getObject(1, UUID.class), Kind.valueOf(rs.getString(2)), rs.getBigDecimal(3), rs.getInt(4)))
                .list());
    }

    private void retryLater(Due row, Duration after, boolean refused, String error) {
        jdbc.sql("""
                        update gateway_return set attempts = attempts + 1, refused = :refused, last_error = left(:error, 1000),
                               next_attempt_at = clock_timestamp() + make_interval(secs => :seconds)
                        where order_id = :orderId""")
                .param("refused", refused).param("error", String.valueOf(error)).param("seconds", after.toMillis() / 1000.0)
                .param("orderId", row.orderId()).update();
    }

    private void postpone(List<Due> rows, Duration after) {
        rows.forEach(row -> jdbc.sql("update gateway_return set next_attempt_at = clock_timestamp() + make_interval(secs => ?)"
                + " where order_id = ?").params(after.toMillis() / 1000.0, row.orderId()).update());
    }

    private double pendingCount() {
        try {
            return jdbc.sql("select count(*) from gateway_return").query(Long.class).single();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
