package dev.sagaplatform.e2e;

import java.net.URI;
import javax.sql.DataSource;

/**
 * The running platform as the end-to-end tests see it: URLs of every service, Kafka and each service's
 * database. The same tests run against the embedded platform (this machine, no Docker) or against an
 * external one such as docker compose ({@code E2E_TARGET=external}, see {@link ExternalPlatform}).
 */
public interface ApplicationUnderTest {

    enum Service {
        ORDER("order-service"),
        PAYMENT("payment-service"),
        INVENTORY("inventory-service"),
        GATEWAY("payment-gateway"),
        ORCHESTRATOR("saga-orchestrator"),
        RELAY("outbox-relay"),
        CONSOLE("saga-console");

        final String module;

        Service(String module) {
            this.module = module;
        }
    }

    URI url(Service service);

    String kafkaBootstrapServers();

    /** The service's own database, for invariant checks that no API exposes (outbox, inbox, keys). */
    DataSource database(Service service);

    String adminUser();

    String adminPassword();

    /** Zipkin, where every service exports its spans (its API answers {@code /api/v2/trace/{traceId}}). */
    URI zipkin();

    /** The merchant key the payment-gateway requires on charges and refunds (what payment-service sends). */
    String gatewayApiKey();

    /** Picks the platform from {@code E2E_TARGET} ({@code embedded}, the default, or {@code external}). */
    static ApplicationUnderTest get() {
        String target = System.getenv().getOrDefault("E2E_TARGET", System.getProperty("e2e.target", "embedded"));
        return "external".equals(target) ? ExternalPlatform.fromEnvironment() : EmbeddedPlatform.get();
    }
}
