package dev.sagaplatform.e2e;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A platform someone else started (docker compose, a cluster): every address comes from the
 * environment, with the local platform's defaults from DESIGN.md.
 */
final class ExternalPlatform implements ApplicationUnderTest {

    private static final Map<Service, String> DEFAULT_URLS = Map.of(
            Service.ORDER, "http://localhost:8081", Service.PAYMENT, "http://localhost:8082",
            Service.INVENTORY, "http://localhost:8083", Service.ORCHESTRATOR, "http://localhost:8084",
            Service.RELAY, "http://localhost:8085",
            Service.GATEWAY, "http://localhost:8086", Service.CONSOLE, "http://localhost:8087");
    private static final Map<Service, String> DATABASES = Map.of(
            Service.ORDER, "order_service", Service.PAYMENT, "payment_service",
            Service.INVENTORY, "inventory_service", Service.GATEWAY, "payment_gateway",
            Service.ORCHESTRATOR, "saga_orchestrator", Service.RELAY, "postgres", Service.CONSOLE, "saga_console");

    private final Map<Service, URI> urls = new EnumMap<>(Service.class);

    private ExternalPlatform() {
        for (Service service : Service.values()) {
            String variable = "E2E_" + service.name() + "_URL";
            urls.put(service, URI.create(System.getenv().getOrDefault(variable, DEFAULT_URLS.get(service))));
        }
    }

    static ExternalPlatform fromEnvironment() {
        return new ExternalPlatform();
    }

    @Override
    public URI url(Service service) {
        return urls.get(service);
    }

    @Override
    public String kafkaBootstrapServers() {
        return env("E2E_KAFKA", "localhost:9092");
    }

    @Override
    public DataSource database(Service service) {
        var dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://" + env("E2E_DB_HOST", "localhost") + ":" + env("E2E_DB_PORT", "15432")
                + "/" + DATABASES.get(service));
        dataSource.setUser(env("E2E_DB_USER", "postgres"));
        dataSource.setPassword(env("E2E_DB_PASSWORD", "postgres"));
        return dataSource;
    }

    @Override
    public URI zipkin() {
        return URI.create(env("E2E_ZIPKIN_URL", "http://localhost:9411"));
    }

    @Override
    public String adminUser() {
        return env("PLATFORM_ADMIN_USER", "admin");
    }

    @Override
    public String adminPassword() {
        return required("PLATFORM_ADMIN_PASSWORD");
    }

    @Override
    public String gatewayApiKey() {
        return required("PAYMENT_GATEWAY_API_KEY");
    }

    /** The secrets the external platform was started with: it has no defaults, so neither do its tests. */
    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("E2E_TARGET=external needs " + name + ", the value the platform under test was started with");
        }
        return value;
    }

    private static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }
}
