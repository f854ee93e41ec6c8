package dev.sagaplatform.payment.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.DatabaseHandle;
import dev.sagaplatform.testsupport.PostgresServer;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The probes against real PostgreSQL and Kafka: readiness is the database and the broker, liveness the JVM alone,
 * and the gateway's circuit breaker is in neither. The database goes away for real: PostgreSQL stops admitting
 * connections to this service's database and ends the ones it has.
 */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "payment.seed.location=none",
        // A health check waits for a connection at most this long, so DOWN shows within a probe's period.
        "spring.datasource.hikari.connection-timeout=1000",
        "management.endpoint.health.show-details=always"})
class ReadinessTest {

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry breakers;

    Probes probes;

    @BeforeEach
    void probes() {
        probes = new Probes(port);
        await().atMost(Duration.ofSeconds(30)).until(() -> probes.readiness().status() == 200);
    }

    @Test
    void readyWithItsDatabaseAndBrokerUpAndNothingElseInTheGroups() {
        Probes.Answer readiness = probes.readiness();

        assertThat(readiness.component("db")).isEqualTo("UP");
        assertThat(readiness.component("kafka")).isEqualTo("UP");
        assertThat(readiness.body().path("components").propertyNames()).containsExactlyInAnyOrder("db", "kafka", "readinessState");
        assertThat(probes.liveness().body().path("components").propertyNames()).containsExactly("livenessState");
    }

    @Test
    void anOpenBreakerLeavesTheServiceReadyAndAlive() {
        CircuitBreaker gateway = breakers.circuitBreaker("payment-gateway");
        gateway.transitionToOpenState();
        try {
            assertThat(probes.health().component("circuitBreakers")).as("the breaker shows on /actuator/health").isNotEqualTo("absent");
            assertThat(probes.readiness().status()).isEqualTo(200);
            assertThat(probes.readiness().body().path("status").asString()).isEqualTo("UP");
            assertThat(probes.liveness().status()).isEqualTo(200);
        } finally {
            gateway.transitionToClosedState();
        }
    }

    @Test
    void notReadyButAliveWhileItsDatabaseRefusesConnections() throws SQLException {
        DatabaseHandle database = TestInfrastructure.get().databaseFor(ReadinessTest.class);
        PostgresServer postgres = TestInfrastructure.get().postgres();
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             Statement sql = admin.createStatement()) {
            sql.execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS false");
            sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database.name() + "'");
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Probes.Answer readiness = probes.readiness();
                    assertThat(readiness.status()).isEqualTo(503);
                    assertThat(readiness.component("db")).isEqualTo("DOWN");
                    assertThat(readiness.component("kafka")).isEqualTo("UP");
                });
                assertThat(probes.liveness().status()).isEqualTo(200);
            } finally {
                sql.execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS true");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> probes.readiness().status() == 200);
    }
}
