package dev.sagaplatform.payment.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.DatabaseHandle;
import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With no broker where the service looks for one (a port nothing listens on) and a real database: not ready, alive.
 * Not {@code @RealInfrastructure}, whose context settings would point Kafka at the real broker; the database is
 * taken from the same shared server by hand.
 */
@Tag(RealInfrastructure.TAG)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "payment.seed.location=none",
        // Nothing to create topics on; the service would otherwise wait for the broker at start-up.
        "spring.kafka.admin.auto-create=false",
        // No consumers either: the probes do not need them, and one polling for an absent broker slows the context's close.
        "spring.kafka.listener.auto-startup=false",
        "management.endpoint.health.show-details=always"})
class ReadinessWithoutKafkaTest {

    @DynamicPropertySource
    static void databaseAndNoBroker(DynamicPropertyRegistry registry) {
        DatabaseHandle database = TestInfrastructure.get().databaseFor(ReadinessWithoutKafkaTest.class);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        int closed = FreePorts.find();
        registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + closed);
    }

    @LocalServerPort
    int port;

    @Test
    void notReadyButAliveWithoutItsBroker() {
        Probes probes = new Probes(port);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Probes.Answer readiness = probes.readiness();
            assertThat(readiness.status()).isEqualTo(503);
            assertThat(readiness.component("kafka")).isEqualTo("DOWN");
            assertThat(readiness.component("db")).isEqualTo("UP");
        });
        assertThat(probes.liveness().status()).isEqualTo(200);
    }
}
