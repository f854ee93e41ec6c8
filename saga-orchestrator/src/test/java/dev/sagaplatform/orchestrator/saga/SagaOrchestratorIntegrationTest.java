package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.testsupport.ExposedMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.contracts.saga.SagaCommand;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.StepAction;
import dev.sagaplatform.orchestrator.saga.domain.SagaStateMachine;
import dev.sagaplatform.orchestrator.saga.domain.StepOutcome;
import dev.sagaplatform.orchestrator.saga.persistence.SagaRepository;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orchestrator as the platform sees it, on a real broker and database. The relay does not run
 * here: the test reads the outbox to see the commands the orchestrator would send, and answers them by
 * producing replies into Kafka the way the relay publishes them. Timeouts and backoffs are short.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "orchestrator.step-timeout=2s",
        "orchestrator.compensation.initial-backoff=500ms",
        "orchestrator.compensation.max-backoff=2s",
        "orchestrator.compensation.max-attempts=3",
        "orchestrator.compensation.jitter=0.2",
        "orchestrator.poller.interval=100ms",
        "platform.admin.user=operator",
        "platform.admin.password=test-secret",
        "platform.messaging.consumer.initial-interval=50ms",
        "platform.messaging.consumer.max-interval=200ms",
        "platform.messaging.consumer.jitter=10ms",
        "platform.messaging.consumer.max-retries=2",
        "platform.messaging.retention.enabled=false"})
@RealInfrastructure
class SagaOrchestratorIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(2);
    private static RelayLikePublisher publisher;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    SagaRepository sagas;
    @Autowired
    DeadlinePoller poller;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    TransactionTemplate transactions;
    @LocalServerPort
    int port;

    private final MessageCodec codec = new MessageCodec();
    private final JsonMapper json = JsonMapper.builder().build();
    private RestClient http;

    @BeforeAll
    static void startProducer() {
        publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson);
    }

    @AfterAll
    static void stopProducer() {
        publisher.close();
    }

    /** Replies must not wait for a rebalance, or a step could time out before its answer is even read. */
    @BeforeEach
    void awaitPartitionsAndClient() {
        await().atMost(SETTLE).until(() -> listeners.getListenerContainers().stream()
                .flatMap(container -> container.getAssignedPartitions().stream())
                .map(TopicPartition::topic).distinct().count() == 2);
        http = RestClient.builder().baseUrl("http://localhost:" + port).build();
    }

    // --- start --------------------------------------------------------------------------------

    @Test
    void anOrchestratedOrderStartsOneSagaThatAuthorizesThePayment() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);

        publisher.publish(order);

        AuthorizePayment authorize = awaitCommand(order.orderId(), 1, AuthorizePayment.class);
        assertThat(authorize.customerId()).isEqualTo(order.customerId());
        assertThat(authorize.amount()).isEqualByComparingTo(order.total());
        StoredSaga saga = sagaOf(order.orderId());
        assertThat(authorize.sagaId()).isEqualTo(saga.saga().id());
        assertThat(saga.saga().state()).isEqualTo(SagaState.STARTED);
        assertThat(saga.saga().deadline()).isAfter(Instant.now().minusSeconds(1));
        assertThat(jdbc.sql("select aggregatetype from outbox where aggregateid = ?").param(order.orderId().toString())
                .query(String.class).single()).isEqualTo("payment-commands");

        // A re-snapshot of the order's event carries a new event id, so only the saga's uniqueness stops it.
        UUID again = publisher.publish(order);
        awaitProcessed(again);
        assertThat(commands(order.orderId())).hasSize(1);
        assertThat(jdbc.sql("select count(*) from saga_instance where order_id = ?").param(order.orderId())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aChoreographedOrderStartsNoSaga() {
        OrderCreated order = order(SagaFlow.CHOREOGRAPHY);

        awaitProcessed(publisher.publish(order));

        assertThat(sagas.search(order.orderId(), null, 0, 1).totalElements()).isZero();
        assertThat(commands(order.orderId())).isEmpty();
    }

    // --- forward and failure paths ------------------------------------------------------------

    @Test
    void answeringEveryCommandCompletesTheSagaAndTheApiShowsItsHistory() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);

        succeed(awaitCommand(order.orderId(), 1, AuthorizePayment.class));
        ReserveStock reserve = awaitCommand(order.orderId(), 2, ReserveStock.class);
        assertThat(reserve.items()).isEqualTo(order.items());
        succeed(reserve);
        succeed(awaitCommand(order.orderId(), 3, ApproveOrder.class));

        StoredSaga saga = awaitState(order.orderId(), SagaState.COMPLETED);
        assertThat(commands(order.orderId())).hasSize(3);

        ResponseEntity<String> response = get("/sagas/" + saga.saga().id());
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.get("sagaId").stringValue()).isEqualTo(saga.saga().id().toString());
        assertThat(body.get("orderId").stringValue()).isEqualTo(order.orderId().toString());
        assertThat(body.get("state").stringValue()).isEqualTo("COMPLETED");
        assertThat(body.get("currentStep").stringValue()).isEqualTo("approval");
        assertThat(body.get("pendingCommand").isNull()).isTrue();
        assertThat(body.get("total").decimalValue()).isEqualByComparingTo(order.total());
        assertThat(body.get("createdAt").isString()).isTrue();
        assertThat(body.get("updatedAt").isString()).isTrue();
        assertThat(body.get("history").values()).extracting(step -> step.get("step").stringValue() + " "
                        + step.get("commandType").stringValue() + " " + step.get("outcome").stringValue())
                .containsExactly("payment AuthorizePayment SENT", "payment AuthorizePayment SUCCEEDED",
                        "stock ReserveStock SENT", "stock ReserveStock SUCCEEDED",
                        "approval ApproveOrder SENT", "approval ApproveOrder SUCCEEDED");
        assertThat(body.get("history").get(0).get("at").isString()).isTrue();
        assertThat(body.get("history").get(0).get("commandId").stringValue()).isNotBlank();
        // Each reply timed from its command's send, the whole saga from its start (counted after commit).
        await().atMost(SETTLE).untilAsserted(() -> assertThat(get("/actuator/prometheus").getBody())
                .containsPattern("(?m)^saga_step_latency_seconds_count\\{command=\"ReserveStock\",outcome=\"succeeded\"} [1-9]")
                .containsPattern("(?m)^saga_duration_seconds_count\\{outcome=\"completed\"} [1-9]"));
    }

    @Test
    void aDeclinedPaymentRejectsTheOrderWithTheDeclineReason() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);

        fail(awaitCommand(order.orderId(), 1, AuthorizePayment.class), RejectionReason.INSUFFICIENT_CREDIT, "credit too low");
        RejectOrder reject = awaitCommand(order.orderId(), 2, RejectOrder.class);
        assertThat(reject.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDIT);
        assertThat(reject.reasonDetail()).isEqualTo("credit too low");
        succeed(reject);

        awaitState(order.orderId(), SagaState.COMPENSATED);
        assertThat(commands(order.orderId())).extracting(Object::getClass)
                .containsExactly(AuthorizePayment.class, RejectOrder.class);
    }

    @Test
    void rejectedStockRefundsThePaymentThenRejectsTheOrder() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);

        succeed(awaitCommand(order.orderId(), 1, AuthorizePayment.class));
        fail(awaitCommand(order.orderId(), 2, ReserveStock.class), RejectionReason.OUT_OF_STOCK, "SKU-PEN short by 1");
        RefundPayment refund = awaitCommand(order.orderId(), 3, RefundPayment.class);
        assertThat(refund.amount()).isEqualByComparingTo(order.total());
        succeed(refund);
        RejectOrder reject = awaitCommand(order.orderId(), 4, RejectOrder.class);
        assertThat(reject.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
        succeed(reject);

        assertThat(awaitState(order.orderId(), SagaState.COMPENSATED).saga().reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
    }

    // --- timeouts -----------------------------------------------------------------------------

    @Test
    void anUnansweredStepTimesOutAndIsCompensatedItself() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);
        awaitCommand(order.orderId(), 1, AuthorizePayment.class);

        // The authorization may have happened: its refund is sent anyway.
        succeed(awaitCommand(order.orderId(), 2, RefundPayment.class));
        RejectOrder reject = awaitCommand(order.orderId(), 3, RejectOrder.class);
        assertThat(reject.reason()).isEqualTo(RejectionReason.TIMED_OUT);
        assertThat(reject.reasonDetail()).isEqualTo("no reply to AuthorizePayment within 2s");
        succeed(reject);

        StoredSaga saga = awaitState(order.orderId(), SagaState.COMPENSATED);
        // Measured on the clock the deadline is set with (the step history's), not by the outbox rows' insert times:
        // those are read later in their transactions, so under load they can sit a few ms closer than the deadline did.
        Map<String, Instant> at = sagas.history(List.of(saga.saga().id())).get(saga.saga().id()).stream()
                .collect(Collectors.toMap(entry -> entry.commandType() + " " + entry.outcome(), HistoryEntry::at, (a, b) -> a));
        assertThat(Duration.between(at.get("AuthorizePayment SENT"), at.get("AuthorizePayment TIMED_OUT")))
                .isGreaterThanOrEqualTo(STEP_TIMEOUT);
        assertThat(outcomes(saga)).containsSubsequence("payment AuthorizePayment SENT",
                "payment AuthorizePayment TIMED_OUT", "payment RefundPayment SENT");
    }

    @Test
    void aLateSuccessAfterTheTimeoutIsRecordedAndChangesNothing() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);
        succeed(awaitCommand(order.orderId(), 1, AuthorizePayment.class));
        ReserveStock reserve = awaitCommand(order.orderId(), 2, ReserveStock.class);
        ReleaseStock release = awaitCommand(order.orderId(), 3, ReleaseStock.class);

        succeed(reserve);
        await().atMost(SETTLE).until(() -> outcomes(sagaOf(order.orderId())).contains("stock ReserveStock LATE_REPLY_IGNORED"));
        Saga<OrderSagaData> saga = sagaOf(order.orderId()).saga();
        assertThat(saga.state()).isEqualTo(SagaState.COMPENSATING);
        assertThat(saga.pendingCommandId()).isEqualTo(release.commandId());
        assertThat(commands(order.orderId())).hasSize(3);

        succeed(release);
        succeed(awaitCommand(order.orderId(), 4, RefundPayment.class));
        succeed(awaitCommand(order.orderId(), 5, RejectOrder.class));
        assertThat(awaitState(order.orderId(), SagaState.COMPENSATED).saga().reason()).isEqualTo(RejectionReason.TIMED_OUT);
    }

    // --- compensation retries and the operator ------------------------------------------------

    @Test
    void anUnansweredCompensationIsRetriedWithGrowingPausesParkedAndResumedByTheOperator() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);
        succeed(awaitCommand(order.orderId(), 1, AuthorizePayment.class));
        fail(awaitCommand(order.orderId(), 2, ReserveStock.class), RejectionReason.OUT_OF_STOCK, "none left");
        RefundPayment refund = awaitCommand(order.orderId(), 3, RefundPayment.class);

        StoredSaga parked = awaitState(order.orderId(), SagaState.STUCK);
        List<SagaCommand> sends = commands(order.orderId());
        assertThat(sends.subList(2, 5)).containsOnly(refund);
        List<Instant> sent = sentAt(order.orderId());
        Duration firstPause = Duration.between(sent.get(2), sent.get(3));
        Duration secondPause = Duration.between(sent.get(3), sent.get(4));
        assertThat(firstPause).isGreaterThanOrEqualTo(STEP_TIMEOUT);
        assertThat(secondPause).isGreaterThan(firstPause);
        assertThat(outcomes(parked)).endsWith("payment RefundPayment TIMED_OUT", "payment RefundPayment STUCK");
        assertThat(parked.saga().dueAt()).isNull();
        // The gauges read the table at most every 5 s: a reading from before the parking may still be served.
        await().atMost(SETTLE).untilAsserted(() -> assertThat(get("/actuator/prometheus").getBody())
                .containsPattern("(?m)^saga_stuck(\\{[^}]*})? [1-9]")
                .containsPattern("(?m)^saga_instances\\{state=\"STUCK\"} [1-9]"));

        ResponseEntity<String> retried = retry(parked.saga().id(), "operator", "test-secret");

        assertThat(retried.getStatusCode().value()).isEqualTo(202);
        JsonNode body = json.readTree(retried.getBody());
        assertThat(body.get("state").stringValue()).isEqualTo("COMPENSATING");
        assertThat(body.get("attempts").intValue()).isEqualTo(1);
        assertThat(body.get("pendingCommand").get("type").stringValue()).isEqualTo("RefundPayment");
        assertThat(awaitCommand(order.orderId(), 6, RefundPayment.class)).isEqualTo(refund);
        succeed(refund);
        succeed(awaitCommand(order.orderId(), 7, RejectOrder.class));
        assertThat(outcomes(awaitState(order.orderId(), SagaState.COMPENSATED)))
                .containsSubsequence("payment RefundPayment STUCK", "payment RefundPayment RETRIED",
                        "payment RefundPayment SUCCEEDED", "rejection RejectOrder SENT", "rejection RejectOrder SUCCEEDED");
    }

    @Test
    void deadlinesAreRowsSoAPollerThatWasDownActsOnThemWhenItComesBack() {
        UUID orderId = UUID.randomUUID();
        UUID sagaId;
        poller.stop();
        try {
            // As if the instance that sent AuthorizePayment had died a minute ago. stop() has waited for any poll in
            // flight, so nothing can act on the deadline until the poller starts again.
            sagaId = insertSagaDueSince(orderId, Duration.ofMinutes(1));
            assertThat(commands(orderId)).isEmpty();
        } finally {
            poller.start();
        }

        RefundPayment refund = awaitCommand(orderId, 1, RefundPayment.class);
        assertThat(refund.sagaId()).isEqualTo(sagaId);
        assertThat(refund.amount()).isEqualByComparingTo("9.99");
        assertThat(outcomes(sagaOf(orderId))).containsExactly("payment AuthorizePayment TIMED_OUT", "payment RefundPayment SENT");
    }

    /** One saga whose transition throws (here: a step its definition does not know) must not hold up every other deadline. */
    @Test
    void aSagaWhoseTransitionKeepsFailingIsParkedWithTheErrorAndTheOthersMoveOn() {
        UUID badOrder = UUID.randomUUID();
        UUID goodOrder = UUID.randomUUID();
        UUID bad;
        UUID good;
        poller.stop();
        try {
            bad = insertSagaDueSince(badOrder, Duration.ofDays(3)); // due longest ago: the poller's first pick
            jdbc.sql("update saga_instance set current_step = 'no-such-step' where id = ?").param(bad).update();
            good = insertSagaDueSince(goodOrder, Duration.ofMinutes(1));
        } finally {
            poller.start();
        }

        RefundPayment refund = awaitCommand(goodOrder, 1, RefundPayment.class);
        assertThat(refund.sagaId()).isEqualTo(good);
        await().atMost(Duration.ofSeconds(30)).until(() -> sagas.find(bad).orElseThrow().saga().state() == SagaState.STUCK);
        List<HistoryEntry> history = sagas.history(List.of(bad)).get(bad);
        assertThat(history).last().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(StepOutcome.STUCK);
            assertThat(entry.detail()).contains("no-such-step").contains("failed " + DeadlinePoller.FAILURES_BEFORE_PARKING + " times");
        });
        assertThat(commands(badOrder)).isEmpty();
    }

    /** What lets two instances share the table: skip-locked claims, and version-checked updates. */
    @Test
    void aClaimedSagaIsSkippedByOtherPollersAndAStaleWriterLoses() throws Exception {
        UUID sagaId;
        poller.stop();
        ExecutorService otherInstance = Executors.newSingleThreadExecutor();
        try {
            sagaId = insertSagaDueSince(UUID.randomUUID(), Duration.ofDays(1));
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Optional<StoredSaga>> first = otherInstance.submit(() -> transactions.execute(status -> {
                Optional<StoredSaga> claim = sagas.claimDue(Instant.now());
                claimed.countDown();
                awaitLatch(release);
                return claim;
            }));
            assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
            Optional<StoredSaga> second = transactions.execute(status -> sagas.claimDue(Instant.now()));
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).map(claim -> claim.saga().id()).contains(sagaId);
            assertThat(second.map(claim -> claim.saga().id())).isNotEqualTo(Optional.of(sagaId));

            StoredSaga read = sagas.find(sagaId).orElseThrow();
            Instant now = Instant.now();
            transactions.executeWithoutResult(status -> sagas.update(read.saga(), read.version(), now));
            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> sagas.update(read.saga(), read.version(), now)))
                    .isInstanceOf(OptimisticLockingFailureException.class);
            assertThat(sagas.find(sagaId).orElseThrow().version()).isEqualTo(read.version() + 1);
        } finally {
            otherInstance.shutdownNow();
            poller.start();
        }
    }

    // --- operator API -------------------------------------------------------------------------

    @Test
    void listsSagasInTheSpringDataPageShapeFilteredByOrderAndState() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);
        awaitCommand(order.orderId(), 1, AuthorizePayment.class);

        JsonNode byOrder = json.readTree(get("/sagas?orderId=" + order.orderId()).getBody());
        assertThat(byOrder.get("content").values()).hasSize(1);
        JsonNode saga = byOrder.get("content").get(0);
        assertThat(saga.get("orderId").stringValue()).isEqualTo(order.orderId().toString());
        assertThat(saga.get("state").stringValue()).isEqualTo("STARTED");
        assertThat(saga.get("currentStep").stringValue()).isEqualTo("payment");
        assertThat(saga.get("pendingCommand").get("type").stringValue()).isEqualTo("AuthorizePayment");
        assertThat(saga.get("stepDeadline").isString()).isTrue();
        assertThat(saga.get("history").values()).hasSize(1);
        JsonNode page = byOrder.get("page");
        assertThat(page.get("size").intValue()).isEqualTo(20);
        assertThat(page.get("number").intValue()).isZero();
        assertThat(page.get("totalElements").intValue()).isEqualTo(1);
        assertThat(page.get("totalPages").intValue()).isEqualTo(1);

        assertThat(json.readTree(get("/sagas?orderId=" + order.orderId() + "&state=COMPLETED").getBody())
                .get("content").values()).isEmpty();
        JsonNode started = json.readTree(get("/sagas?state=STARTED&size=500").getBody());
        assertThat(started.get("page").get("size").intValue()).isEqualTo(500);
        assertThat(started.get("content").values()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.get("state").stringValue()).isEqualTo("STARTED"));

        assertProblem(get("/sagas?state=NOPE"), 400, "invalid-parameter");
        assertProblem(get("/sagas?page=-1"), 400, "invalid-parameter");
        assertProblem(get("/sagas?size=501"), 400, "invalid-parameter");
    }

    @Test
    void anUnknownSagaIsA404ProblemAndAMalformedIdA400() {
        assertProblem(get("/sagas/" + UUID.randomUUID()), 404, "saga-not-found");
        assertProblem(get("/sagas/not-a-uuid"), 400, "invalid-parameter");
        assertProblem(retry(UUID.randomUUID(), "operator", "test-secret"), 404, "saga-not-found");
    }

    @Test
    void retryingNeedsCredentialsAndAParkedSaga() {
        OrderCreated order = order(SagaFlow.ORCHESTRATION);
        publisher.publish(order);
        awaitCommand(order.orderId(), 1, AuthorizePayment.class);
        UUID sagaId = sagaOf(order.orderId()).saga().id();

        ResponseEntity<String> anonymous = http.post().uri("/sagas/{id}/retry", sagaId).retrieve()
                .onStatus(status -> true, (request, response) -> { }).toEntity(String.class);
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
        assertProblem(retry(sagaId, "operator", "wrong"), 401, "unauthorized");

        ResponseEntity<String> notStuck = retry(sagaId, "operator", "test-secret");
        assertProblem(notStuck, 409, "saga-not-stuck");
        assertThat(json.readTree(notStuck.getBody()).get("detail").stringValue()).contains("is STARTED");
        assertThat(commands(order.orderId())).hasSize(1);
    }

    @Test
    void healthAndMetricsAreOpen() {
        assertThat(get("/actuator/health/readiness").getStatusCode().value()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").getBody())
                .contains("saga_started_total", "saga_completed_total", "saga_compensated_total", "saga_stuck");
        // monitoring/exposed-metrics/saga-orchestrator.txt: what the dashboards and alerts may use of this service.
        ExposedMetrics.verifyRecorded("saga-orchestrator", get("/actuator/prometheus").getBody());
    }

    // --- helpers ------------------------------------------------------------------------------

    private static OrderCreated order(SagaFlow flow) {
        return new OrderCreated(UUID.randomUUID(), "customer-" + UUID.randomUUID().toString().substring(0, 8),
                List.of(new OrderLine("SKU-PEN", 3, new BigDecimal("1.50")), new OrderLine("SKU-BOOK", 1, new BigDecimal("21.00"))),
                new BigDecimal("25.50"), flow, Instant.now());
    }

    private void succeed(SagaCommand command) {
        publisher.publish(SagaReply.success(command));
    }

    private void fail(SagaCommand command, RejectionReason reason, String detail) {
        publisher.publish(SagaReply.failure(command, reason, detail));
    }

    private void awaitProcessed(UUID eventId) {
        await().atMost(SETTLE).until(() -> jdbc.sql(
                        "select count(*) from processed_message where consumer = 'saga-orchestrator' and message_id = ?")
                .param(eventId).query(Long.class).single() == 1);
    }

    /** What the orchestrator sent for this order, oldest first: the outbox rows the relay would publish. */
    private List<SagaCommand> commands(UUID orderId) {
        return jdbc.sql("select type, payload::text as payload from outbox where aggregateid = ? order by created_at")
                .param(orderId.toString())
                .query((rs, row) -> (SagaCommand) codec.fromJson(rs.getString("type"), rs.getString("payload")))
                .list();
    }

    private List<Instant> sentAt(UUID orderId) {
        return jdbc.sql("select created_at from outbox where aggregateid = ? order by created_at")
                .param(orderId.toString())
                .query((rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .list();
    }

    private <T extends SagaCommand> T awaitCommand(UUID orderId, int count, Class<T> type) {
        List<SagaCommand> sent = await().atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> commands(orderId), list -> list.size() >= count);
        assertThat(sent).hasSize(count);
        assertThat(sent.get(count - 1)).isInstanceOf(type);
        return type.cast(sent.get(count - 1));
    }

    private StoredSaga sagaOf(UUID orderId) {
        List<StoredSaga> found = sagas.search(orderId, null, 0, 1).content();
        assertThat(found).as("saga of order " + orderId).hasSize(1);
        return found.get(0);
    }

    private StoredSaga awaitState(UUID orderId, SagaState state) {
        return await().atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> sagaOf(orderId), saga -> saga.saga().state() == state);
    }

    private List<String> outcomes(StoredSaga saga) {
        return sagas.history(List.of(saga.saga().id())).get(saga.saga().id()).stream()
                .map(entry -> entry.step() + " " + entry.commandType() + " " + entry.outcome())
                .toList();
    }

    private ResponseEntity<String> get(String path) {
        return http.get().uri(path).retrieve().onStatus(status -> true, (request, response) -> { }).toEntity(String.class);
    }

    private ResponseEntity<String> retry(UUID sagaId, String user, String password) {
        return http.post().uri("/sagas/{id}/retry", sagaId)
                .headers(headers -> headers.setBasicAuth(user, password))
                .retrieve().onStatus(status -> true, (request, response) -> { }).toEntity(String.class);
    }

    private void assertProblem(ResponseEntity<String> response, int status, String type) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("type").stringValue()).isEqualTo("https://saga-platform.dev/problems/" + type);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("title").stringValue()).isNotBlank();
    }

    /** A saga whose AuthorizePayment went out and whose deadline passed {@code ago}, written straight to the table. */
    private UUID insertSagaDueSince(UUID orderId, Duration ago) {
        UUID sagaId = UUID.randomUUID();
        Instant past = Instant.now().minus(ago).truncatedTo(ChronoUnit.MICROS);
        UUID authorizeId = SagaStateMachine.commandId(sagaId, "payment", StepAction.INVOKE);
        sagas.insert(new Saga<>(sagaId, new OrderSagaData(orderId, "customer-1", new BigDecimal("9.99"),
                List.of(new OrderLine("SKU-PEN", 1, new BigDecimal("9.99")))), SagaState.STARTED, "payment",
                StepAction.INVOKE, authorizeId, "AuthorizePayment", past, null, 1, null, null), past.minus(STEP_TIMEOUT));
        return sagaId;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
