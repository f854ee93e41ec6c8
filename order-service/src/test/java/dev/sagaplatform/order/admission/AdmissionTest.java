package dev.sagaplatform.order.admission;

import static dev.sagaplatform.order.support.Api.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.order.support.Api;
import dev.sagaplatform.order.support.Api.Response;
import dev.sagaplatform.order.support.UpstreamStub;
import dev.sagaplatform.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Admission control at the door over real HTTP and real PostgreSQL: past the limit an order is refused
 * with 503 at-capacity and Retry-After and nothing is stored, not even its key; an order already
 * accepted is still replayed; a saga that ends frees its place. The limit is pinned to 3 (min = max),
 * and the table is read when the test says so (the periodic reading is set to an hour).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.messaging.retention.enabled=false",
        "orders.admission.min-in-flight=3",
        "orders.admission.max-in-flight=3",
        "orders.admission.refresh-interval=1h"})
@RealInfrastructure
class AdmissionTest {

    static final UpstreamStub upstream = UpstreamStub.start().customer("customer-1").product("SKU-1", "10.00");

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("inventory.base-url", upstream::baseUrl);
        registry.add("payment.base-url", upstream::baseUrl);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    AdmissionMonitor monitor;
    @Autowired
    MeterRegistry meters;

    Api api;

    @BeforeEach
    void emptyShop() {
        api = new Api(port);
        jdbc.sql("delete from idempotency_key").update();
        jdbc.sql("delete from orders").update();
        monitor.refresh();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void refusesTheOrderPastTheLimitAtOnceWithRetryAfterAndStoresNothing() {
        for (int i = 0; i < 3; i++) {
            assertThat(place(UUID.randomUUID().toString()).status()).isEqualTo(202);
        }
        double refusedBefore = meters.get("orders.admission.refused").functionCounter().count();
        String key = UUID.randomUUID().toString();

        Response refused = place(key);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.problemType()).isEqualTo("at-capacity");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().path("limit").asLong()).isEqualTo(3);
        assertThat(count("select count(*) from orders")).isEqualTo(3);
        assertThat(count("select count(*) from outbox where type = 'OrderCreated' and aggregateid in (select id::text from orders)")).isEqualTo(3);
        assertThat(jdbc.sql("select count(*) from idempotency_key where idempotency_key = ?").param(key).query(Long.class).single()).isZero();
        assertThat(meters.get("orders.admission.refused").functionCounter().count()).isEqualTo(refusedBefore + 1);

        // The table says the same once read: three in flight, still no room.
        monitor.refresh();
        assertThat(place(UUID.randomUUID().toString()).status()).isEqualTo(503);
    }

    @Test
    void stillAnswersARetryOfAnOrderItAcceptedBeforeWhileAtCapacity() {
        String firstKey = UUID.randomUUID().toString();
        Response first = place(firstKey);
        place(UUID.randomUUID().toString());
        place(UUID.randomUUID().toString());

        Response retry = place(firstKey);

        assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().path("orderId").asString()).isEqualTo(first.json().path("orderId").asString());
        assertThat(count("select count(*) from orders")).isEqualTo(3);
    }

    @Test
    void aSagaThatEndsFreesItsPlace() {
        Response first = place(UUID.randomUUID().toString());
        place(UUID.randomUUID().toString());
        place(UUID.randomUUID().toString());
        assertThat(place(UUID.randomUUID().toString()).status()).isEqualTo(503);

        jdbc.sql("update orders set status = 'APPROVED', updated_at = now() where id = ?")
                .param(UUID.fromString(first.json().path("orderId").asString())).update();
        monitor.refresh();

        assertThat(place(UUID.randomUUID().toString()).status()).isEqualTo(202);
    }

    @Test
    void aRequestRefusedForItsContentTakesNoPlace() {
        place(UUID.randomUUID().toString());
        place(UUID.randomUUID().toString());

        Response unknown = api.placeOrder(UUID.randomUUID().toString(), JSON,
                "{\"customerId\":\"nobody\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}");

        assertThat(unknown.status()).isEqualTo(422);
        assertThat(place(UUID.randomUUID().toString()).status()).isEqualTo(202);
    }

    private Response place(String key) {
        return api.placeOrder(key, JSON, "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}");
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
