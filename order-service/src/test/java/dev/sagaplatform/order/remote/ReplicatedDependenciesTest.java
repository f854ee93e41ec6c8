package dev.sagaplatform.order.remote;

import static dev.sagaplatform.order.support.Api.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.order.support.Api;
import dev.sagaplatform.order.support.UpstreamStub;
import dev.sagaplatform.testsupport.RealInfrastructure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Placement with each dependency given as two instances, the way the local platform passes replicas
 * ({@code --inventory.base-url=URL1,URL2}), with the service's own YAML: one inventory instance refuses
 * connections, both payment instances answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.messaging.retention.enabled=false",
        // Every order asks the dependencies.
        "inventory.price-cache-ttl=0s",
        "payment.customer-cache-ttl=0s",
        "orders.admission.min-in-flight=1000"})
@RealInfrastructure
// Closed after the class: its Kafka consumers (group order-service) must not take partitions from other test classes.
@DirtiesContext
class ReplicatedDependenciesTest {

    static final UpstreamStub inventory = UpstreamStub.start().product("SKU-1", "10.00");
    static final UpstreamStub payment = UpstreamStub.start().customer("customer-1");
    static final UpstreamStub otherPayment = UpstreamStub.start().customer("customer-1");
    static final String deadInventory = "http://127.0.0.1:" + closedPort();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("inventory.base-url", () -> deadInventory + "," + inventory.baseUrl());
        registry.add("payment.base-url", () -> payment.baseUrl() + "," + otherPayment.baseUrl());
    }

    @LocalServerPort
    int port;
    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @AfterAll
    static void stopUpstreams() {
        inventory.close();
        payment.close();
        otherPayment.close();
    }

    @Test
    void everyOrderIsPlacedWhileOneInventoryInstanceIsDeadAndTheCustomerLookupsAreShared() {
        Api api = new Api(port);

        // The default breaker needs 10 calls; the dead instance is the first of every other lookup.
        for (int i = 0; i < 30; i++) {
            assertThat(api.placeOrder(UUID.randomUUID().toString(), JSON,
                    "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}").status())
                    .as("order %d", i).isEqualTo(202);
        }

        CircuitBreaker dead = circuitBreakers.circuitBreaker(InventoryClient.NAME);
        CircuitBreaker live = circuitBreakers.circuitBreaker(InventoryClient.NAME + "@" + HttpDependency.instanceOf(
                URI.create(inventory.baseUrl())));
        assertThat(dead.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(live.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(live.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(inventory.requestCount()).isEqualTo(30);
        assertThat(payment.requestCount()).isEqualTo(15);
        assertThat(otherPayment.requestCount()).isEqualTo(15);

        String prometheus = api.get("/actuator/prometheus").body();
        assertThat(prometheus)
                .contains("resilience4j_circuitbreaker_state{name=\"inventory-service\",state=\"open\"} 1.0")
                .contains("resilience4j_circuitbreaker_state{name=\"" + live.getName() + "\",state=\"closed\"} 1.0")
                .contains("resilience4j_circuitbreaker_state{name=\"payment-service@" + HttpDependency.instanceOf(
                        URI.create(otherPayment.baseUrl())) + "\",state=\"closed\"} 1.0");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
