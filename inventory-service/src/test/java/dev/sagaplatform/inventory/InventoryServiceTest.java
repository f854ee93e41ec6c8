package dev.sagaplatform.inventory;

import dev.sagaplatform.testsupport.ExposedMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.inventory.StockRejected;
import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.inventory.catalog.seed.ProductSeedLoader;
import dev.sagaplatform.inventory.stock.StockReservations;
import dev.sagaplatform.inventory.stock.domain.RequestedLine;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Rejected;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Reserved;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as the platform sees it, against a real broker and database: messages in as the relay
 * publishes them, effects read from the tables and from the outbox (what the relay would publish).
 * Every test works on SKUs of its own, so the seeded catalogue keeps its exact values.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.messaging.consumer.initial-interval=50ms",
        "platform.messaging.consumer.max-interval=200ms",
        "platform.messaging.consumer.jitter=10ms",
        "platform.messaging.consumer.max-retries=2",
        "platform.messaging.retention.enabled=false",
        "platform.admin.user=ops",
        "platform.admin.password=test-secret",
        "inventory.testing.failing-sku=" + InventoryServiceTest.BUGGY_SKU})
@RealInfrastructure
class InventoryServiceTest {

    static final String BUGGY_SKU = "TEST-HANDLER-BUG";

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static RelayLikePublisher publisher;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    StockReservations stock;
    @Autowired
    ProductSeedLoader seedLoader;
    @LocalServerPort
    int port;

    private final MessageCodec codec = new MessageCodec();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startProducer() {
        publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson);
    }

    @AfterAll
    static void stopProducer() {
        publisher.close();
    }

    // --- choreography -------------------------------------------------------------------------

    @Test
    void paymentAuthorizedReservesEveryLineAndAnnouncesStockReserved() {
        String a = product(10);
        String b = product(3);
        PaymentAuthorized event = paymentAuthorized(line(a, 4), line(b, 3));

        publisher.publish(event);

        assertThat(awaitOutbox(event.orderId(), 1)).containsExactly(new StockReserved(event.orderId(), event.items()));
        assertThat(stockOf(a)).isEqualTo(new Stock(6, 4));
        assertThat(stockOf(b)).isEqualTo(new Stock(0, 3));
        assertThat(statusOf(event.orderId())).isEqualTo("RESERVED");
    }

    @Test
    void oneShortLineReservesNothingAndAnnouncesStockRejected() {
        String plenty = product(100);
        String scarce = product(2);
        PaymentAuthorized event = paymentAuthorized(line(plenty, 5), line(scarce, 3));

        publisher.publish(event);

        assertThat(awaitOutbox(event.orderId(), 1)).containsExactly(new StockRejected(event.orderId(),
                RejectionReason.OUT_OF_STOCK, scarce + " short by 1 (requested 3, available 2)"));
        assertThat(stockOf(plenty)).isEqualTo(new Stock(100, 0));
        assertThat(stockOf(scarce)).isEqualTo(new Stock(2, 0));
        assertThat(statusOf(event.orderId())).isEqualTo("REJECTED");
    }

    @Test
    void theSamePaymentAuthorizedDeliveredTwiceReservesOnce() {
        String sku = product(10);
        PaymentAuthorized event = paymentAuthorized(line(sku, 2));
        UUID eventId = UUID.randomUUID();

        publisher.publish(event, eventId);
        publisher.publish(event, eventId);
        // Same key, so the marker lands behind both copies on one partition: once it is applied, both were seen.
        PaymentAuthorized marker = paymentAuthorized(line(product(1), 1));
        publisher.publish(marker, UUID.randomUUID(), event.orderId().toString());

        awaitOutbox(marker.orderId(), 1);
        assertThat(outbox(event.orderId())).containsExactly(new StockReserved(event.orderId(), event.items()));
        assertThat(stockOf(sku)).isEqualTo(new Stock(8, 2));
    }

    @Test
    void aSecondMessageForTheSameOrderReservesNothingMoreAndRepeatsTheOutcome() {
        String sku = product(10);
        PaymentAuthorized event = paymentAuthorized(line(sku, 2));

        publisher.publish(event);
        publisher.publish(event);

        StockReserved reserved = new StockReserved(event.orderId(), event.items());
        assertThat(awaitOutbox(event.orderId(), 2)).containsExactly(reserved, reserved);
        assertThat(stockOf(sku)).isEqualTo(new Stock(8, 2));
    }

    @Test
    void aRepeatedRequestForARejectedOrderIsRejectedAgainEvenIfStockArrivedSince() {
        String sku = product(1);
        PaymentAuthorized event = paymentAuthorized(line(sku, 2));
        publisher.publish(event);
        awaitOutbox(event.orderId(), 1);

        jdbc.sql("update products set available = 10 where sku = ?").param(sku).update();
        publisher.publish(event);

        StockRejected rejected = new StockRejected(event.orderId(), RejectionReason.OUT_OF_STOCK,
                sku + " short by 1 (requested 2, available 1)");
        assertThat(awaitOutbox(event.orderId(), 2)).containsExactly(rejected, rejected);
        assertThat(stockOf(sku)).isEqualTo(new Stock(10, 0));
    }

    @Test
    void aProductCreatedThroughTheAdminApiIsReservedLikeASeededOne() {
        String sku = "ADMIN-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        RestClient.create().put().uri("http://localhost:" + port + "/products/" + sku)
                .headers(headers -> headers.setBasicAuth("ops", "test-secret"))
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"price\": 2.50, \"onHand\": 3}").retrieve().toBodilessEntity();
        PaymentAuthorized fits = paymentAuthorized(line(sku, 3));
        PaymentAuthorized tooMuch = paymentAuthorized(line(sku, 1));

        publisher.publish(fits);
        assertThat(awaitOutbox(fits.orderId(), 1)).containsExactly(new StockReserved(fits.orderId(), fits.items()));
        publisher.publish(tooMuch);

        assertThat(awaitOutbox(tooMuch.orderId(), 1)).containsExactly(new StockRejected(tooMuch.orderId(),
                RejectionReason.OUT_OF_STOCK, sku + " short by 1 (requested 1, available 0)"));
        assertThat(stockOf(sku)).isEqualTo(new Stock(0, 3));
    }

    // --- orchestration ------------------------------------------------------------------------

    @Test
    void reserveStockIsAnsweredWithASuccessOrAFailureReply() {
        String sku = product(5);
        ReserveStock fits = reserveStock(UUID.randomUUID(), line(sku, 5));
        ReserveStock tooMuch = reserveStock(UUID.randomUUID(), line(sku, 1));

        publisher.publish(fits);
        assertThat(awaitOutbox(fits.orderId(), 1)).containsExactly(SagaReply.success(fits));
        publisher.publish(tooMuch);

        assertThat(awaitOutbox(tooMuch.orderId(), 1)).containsExactly(SagaReply.failure(tooMuch,
                RejectionReason.OUT_OF_STOCK, sku + " short by 1 (requested 1, available 0)"));
        assertThat(stockOf(sku)).isEqualTo(new Stock(0, 5));
    }

    @Test
    void aTimedOutOrderGivesItsStockBack() {
        String sku = product(10);
        PaymentAuthorized event = paymentAuthorized(line(sku, 4));
        publisher.publish(event);
        awaitOutbox(event.orderId(), 1);

        publisher.publish(timedOut(event), UUID.randomUUID(), event.orderId().toString());

        await().atMost(SETTLE).until(() -> "RELEASED".equals(statusOf(event.orderId())));
        assertThat(stockOf(sku)).isEqualTo(new Stock(10, 0));
        assertThat(outbox(event.orderId())).containsExactly(new StockReserved(event.orderId(), event.items()));
    }

    @Test
    void aPaymentAuthorizedArrivingAfterTheOrderTimedOutTakesNoStockAndIsAnsweredWithARejection() {
        String sku = product(10);
        PaymentAuthorized late = paymentAuthorized(line(sku, 4));
        publisher.publish(timedOut(late), UUID.randomUUID(), late.orderId().toString());
        await().atMost(SETTLE).until(() -> jdbc.sql("select count(*) from reservations where order_id = ?")
                .param(late.orderId()).query(Long.class).single() == 1);

        publisher.publish(late);

        // StockRejected makes payment-service repeat its refund, which finds the payment refunded already.
        assertThat(awaitOutbox(late.orderId(), 1)).containsExactly(new StockRejected(late.orderId(),
                RejectionReason.OUT_OF_STOCK, "stock of this order was already released"));
        assertThat(stockOf(sku)).isEqualTo(new Stock(10, 0));
        assertThat(statusOf(late.orderId())).isEqualTo("RELEASED");
    }

    @Test
    void theTestOnlyHandlerBugDeadLettersItsMessageAndTheNextOneIsStillApplied() {
        jdbc.sql("insert into products (sku, name, price, available, reserved) values (?, 'bug', 1.00, 5, 0)"
                + " on conflict (sku) do nothing").param(BUGGY_SKU).update();
        PaymentAuthorized buggy = paymentAuthorized(line(BUGGY_SKU, 1));
        PaymentAuthorized next = paymentAuthorized(line(product(3), 1));

        publisher.publish(buggy);
        publisher.publish(next, UUID.randomUUID(), buggy.orderId().toString());

        awaitOutbox(next.orderId(), 1);
        assertThat(outbox(buggy.orderId())).isEmpty();
        assertThat(jdbc.sql("select count(*) from reservations where order_id = ?").param(buggy.orderId())
                .query(Long.class).single()).isZero();
        assertThat(stockOf(BUGGY_SKU)).isEqualTo(new Stock(5, 0));
    }

    @Test
    void releaseStockGivesTheStockBackOnceAndEveryReleaseIsAnswered() {
        String a = product(10);
        String b = product(10);
        UUID orderId = UUID.randomUUID();
        ReserveStock reserve = reserveStock(orderId, line(a, 3), line(b, 7));
        ReleaseStock release = releaseStock(reserve);
        ReleaseStock releaseAgain = releaseStock(reserve);

        publisher.publish(reserve, UUID.randomUUID(), orderId.toString());
        publisher.publish(release, UUID.randomUUID(), orderId.toString());
        publisher.publish(releaseAgain, UUID.randomUUID(), orderId.toString());

        assertThat(awaitOutbox(orderId, 3)).containsExactly(
                SagaReply.success(reserve), SagaReply.success(release), SagaReply.success(releaseAgain));
        assertThat(stockOf(a)).isEqualTo(new Stock(10, 0));
        assertThat(stockOf(b)).isEqualTo(new Stock(10, 0));
        assertThat(statusOf(orderId)).isEqualTo("RELEASED");
    }

    @Test
    void aReserveArrivingAfterItsReleaseIsRejectedAndTakesNoStock() {
        String sku = product(10);
        UUID orderId = UUID.randomUUID();
        ReserveStock lateReserve = reserveStock(orderId, line(sku, 4));
        ReleaseStock release = releaseStock(lateReserve);

        publisher.publish(release, UUID.randomUUID(), orderId.toString());
        publisher.publish(lateReserve, UUID.randomUUID(), orderId.toString());

        assertThat(awaitOutbox(orderId, 2)).containsExactly(SagaReply.success(release),
                SagaReply.failure(lateReserve, RejectionReason.OUT_OF_STOCK, "stock of this order was already released"));
        assertThat(stockOf(sku)).isEqualTo(new Stock(10, 0));
        assertThat(statusOf(orderId)).isEqualTo("RELEASED");
    }

    // --- concurrency --------------------------------------------------------------------------

    @Test
    void twoOrdersRacingForTheLastUnitReserveItExactlyOnce() throws Exception {
        String sku = product(1);

        List<ReservationDecision> decisions = race(2, i -> List.of(new RequestedLine(sku, 1)));

        assertThat(decisions).filteredOn(Reserved.class::isInstance).hasSize(1);
        assertThat(decisions).filteredOn(Rejected.class::isInstance).hasSize(1);
        assertThat(stockOf(sku)).isEqualTo(new Stock(0, 1));
    }

    @Test
    void ordersLockingSharedSkusInOppositeLineOrderDoNotDeadlock() throws Exception {
        String a = product(5);
        String b = product(5);

        // Half the orders list a before b, half b before a: locking in line order would deadlock.
        List<ReservationDecision> decisions = race(8, i -> i % 2 == 0
                ? List.of(new RequestedLine(a, 1), new RequestedLine(b, 1))
                : List.of(new RequestedLine(b, 1), new RequestedLine(a, 1)));

        assertThat(decisions).filteredOn(Reserved.class::isInstance).hasSize(5);
        assertThat(stockOf(a)).isEqualTo(new Stock(0, 5));
        assertThat(stockOf(b)).isEqualTo(new Stock(0, 5));
        assertThat(jdbc.sql("select count(*) from reservations where status = 'RESERVED' and order_id in "
                + "(select order_id from reservation_lines where sku = ?)").param(a).query(Long.class).single())
                .isEqualTo(5);
    }

    // --- HTTP ---------------------------------------------------------------------------------

    @Test
    void getProductShowsPriceAndStock() {
        ResponseEntity<String> response = get("/products/SKU-LAPTOP");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.get("sku").stringValue()).isEqualTo("SKU-LAPTOP");
        assertThat(body.get("name").stringValue()).isEqualTo("Laptop");
        assertThat(body.get("price").decimalValue()).isEqualByComparingTo("999.00");
        assertThat(body.get("onHand").intValue()).isEqualTo(5);
        assertThat(body.get("available").intValue()).isEqualTo(5);
        assertThat(body.get("reserved").intValue()).isZero();
    }

    @Test
    void listProductsFiltersByRepeatedSkuAndAnswersTheSpringDataPageShape() {
        ResponseEntity<String> response = get("/products?sku=SKU-PEN&sku=SKU-APPLE&sku=SKU-NOPE");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.get("content").values()).extracting(p -> p.get("sku").stringValue())
                .containsExactly("SKU-APPLE", "SKU-PEN");
        assertThat(body.get("content").get(0).get("price").decimalValue()).isEqualByComparingTo("1.50");
        assertThat(body.get("content").get(1).get("onHand").intValue()).isEqualTo(10000);
        JsonNode page = body.get("page");
        assertThat(page.get("size").intValue()).isEqualTo(20);
        assertThat(page.get("number").intValue()).isZero();
        assertThat(page.get("totalElements").intValue()).isEqualTo(2);
        assertThat(page.get("totalPages").intValue()).isEqualTo(1);
    }

    @Test
    void listProductsServesUpTo500PerPageAndRefusesMore() {
        assertThat(get("/products?size=501").getStatusCode().value()).isEqualTo(400);
        JsonNode body = json.readTree(get("/products?size=500").getBody());

        assertThat(body.get("page").get("size").intValue()).isEqualTo(500);
        assertThat(body.get("content").values()).extracting(p -> p.get("sku").stringValue())
                .contains("SKU-APPLE", "SKU-BOOK", "SKU-LAPTOP", "SKU-PEN", "SKU-WATCH")
                .isSorted();
    }

    @Test
    void anUnknownSkuIsA404Problem() {
        ResponseEntity<String> response = get("/products/SKU-NOPE");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("type").stringValue()).isEqualTo("https://saga-platform.dev/problems/unknown-sku");
        assertThat(problem.get("status").intValue()).isEqualTo(404);
        assertThat(problem.get("title").stringValue()).isEqualTo("Unknown SKU");
        assertThat(problem.get("detail").stringValue()).isEqualTo("no product with sku SKU-NOPE");
    }

    @Test
    void getReservationShowsStatusAndLinesAndAnUnknownOrderIsA404Problem() {
        String sku = product(3);
        UUID orderId = UUID.randomUUID();
        stock.reserve(orderId, List.of(new RequestedLine(sku, 2)));

        JsonNode body = json.readTree(get("/reservations/" + orderId).getBody());
        assertThat(body.get("orderId").stringValue()).isEqualTo(orderId.toString());
        assertThat(body.get("status").stringValue()).isEqualTo("RESERVED");
        assertThat(body.get("lines").get(0).get("sku").stringValue()).isEqualTo(sku);
        assertThat(body.get("lines").get(0).get("quantity").intValue()).isEqualTo(2);
        assertThat(body.get("createdAt").isString()).isTrue();

        ResponseEntity<String> unknown = get("/reservations/" + UUID.randomUUID());
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(json.readTree(unknown.getBody()).get("type").stringValue())
                .isEqualTo("https://saga-platform.dev/problems/unknown-reservation");
        assertThat(get("/reservations/not-a-uuid").getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void stockCountersAreExposedToPrometheus() {
        stock.reserve(UUID.randomUUID(), List.of(new RequestedLine(product(1), 1)));

        String metrics = get("/actuator/prometheus").getBody();

        assertThat(metrics).contains("inventory_reservations_total", "inventory_rejections_total",
                "inventory_releases_total");
        // monitoring/exposed-metrics/inventory-service.txt: what the dashboards and alerts may use of this service.
        ExposedMetrics.verifyRecorded("inventory-service", metrics);
    }

    // --- seed ---------------------------------------------------------------------------------

    @Test
    void theSeedIsLoadedIntoTheEmptyTableAtStartAndNeverAgain() {
        assertThat(stockOf("SKU-WATCH")).isEqualTo(new Stock(20, 0));
        jdbc.sql("update products set available = 19 where sku = 'SKU-WATCH'").update();
        try {
            assertThat(seedLoader.load("classpath:seed/products.yaml")).isZero();
            assertThat(stockOf("SKU-WATCH")).isEqualTo(new Stock(19, 0));
        } finally {
            jdbc.sql("update products set available = 20 where sku = 'SKU-WATCH'").update();
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private record Stock(int available, int reserved) {
    }

    private interface LinesForOrder {
        List<RequestedLine> lines(int order);
    }

    private List<ReservationDecision> race(int orders, LinesForOrder lines) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(orders);
        try {
            CyclicBarrier start = new CyclicBarrier(orders);
            List<Future<ReservationDecision>> futures = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                int order = i;
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return stock.reserve(UUID.randomUUID(), lines.lines(order));
                }));
            }
            List<ReservationDecision> decisions = new ArrayList<>();
            for (Future<ReservationDecision> future : futures) {
                decisions.add(future.get(30, TimeUnit.SECONDS));
            }
            return decisions;
        } finally {
            pool.shutdownNow();
        }
    }

    private String product(int available) {
        String sku = "TEST-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        jdbc.sql("insert into products (sku, name, price, available, reserved) values (?, ?, 1.00, ?, 0)")
                .params(sku, "Test " + sku, available)
                .update();
        return sku;
    }

    private Stock stockOf(String sku) {
        return jdbc.sql("select available, reserved from products where sku = ?").param(sku)
                .query((rs, n) -> new Stock(rs.getInt("available"), rs.getInt("reserved"))).single();
    }

    private String statusOf(UUID orderId) {
        return jdbc.sql("select status from reservations where order_id = ?").param(orderId).query(String.class).single();
    }

    private List<Message> awaitOutbox(UUID orderId, int count) {
        await().atMost(SETTLE).until(() -> outbox(orderId).size() >= count);
        return outbox(orderId);
    }

    /** What the relay would publish for the order, in commit order. */
    private List<Message> outbox(UUID orderId) {
        return jdbc.sql("select type, payload::text as payload from outbox where aggregateid = ? order by created_at")
                .param(orderId.toString())
                .query((rs, n) -> codec.fromJson(rs.getString("type"), rs.getString("payload")))
                .list();
    }

    private ResponseEntity<String> get(String path) {
        return RestClient.create().get().uri("http://localhost:" + port + path)
                .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                        .headers(response.getHeaders())
                        .body(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    private static OrderLine line(String sku, int quantity) {
        return new OrderLine(sku, quantity, new BigDecimal("1.00"));
    }

    private static OrderTimedOut timedOut(PaymentAuthorized payment) {
        return new OrderTimedOut(payment.orderId(), payment.customerId(), payment.items(), payment.amount());
    }

    private static PaymentAuthorized paymentAuthorized(OrderLine... lines) {
        return new PaymentAuthorized(UUID.randomUUID(), "customer-1", new BigDecimal("10.00"),
                "payment-" + UUID.randomUUID(), List.of(lines));
    }

    private static ReserveStock reserveStock(UUID orderId, OrderLine... lines) {
        return new ReserveStock(UUID.randomUUID(), UUID.randomUUID(), orderId, List.of(lines));
    }

    private static ReleaseStock releaseStock(ReserveStock reserved) {
        return new ReleaseStock(UUID.randomUUID(), reserved.sagaId(), reserved.orderId(), reserved.items());
    }
}
