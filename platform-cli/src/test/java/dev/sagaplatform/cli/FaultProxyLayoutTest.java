package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the fault proxy, no service reaches Kafka, PostgreSQL or another service except through its own proxies. */
class FaultProxyLayoutTest {

    @TempDir
    Path runFolder;

    private static Map<Component, Integer> ports() {
        Map<Component, Integer> ports = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            ports.put(component, component.defaultPort());
        }
        return ports;
    }

    @Test
    void everyPathOfEveryServiceGoesThroughItsOwnProxyAndTheBrokerAdvertisesIt() throws Exception {
        FaultProxyLayout layout = FaultProxyLayout.of(new RunFolder(runFolder, Map.of()));
        Map<Component, Integer> ports = ports();

        List<String> order = Platform.serviceArguments(Component.ORDER, ports, true, layout);
        assertThat(order).contains("--spring.kafka.bootstrap-servers=127.0.0.1:" + layout.port(Component.ORDER, Component.KAFKA),
                "--spring.datasource.url=jdbc:postgresql://localhost:" + layout.port(Component.ORDER, Component.POSTGRES) + "/order_service",
                "--inventory.base-url=http://localhost:" + layout.port(Component.ORDER, Component.INVENTORY),
                "--payment.base-url=http://localhost:" + layout.port(Component.ORDER, Component.PAYMENT));
        assertThat(Platform.serviceArguments(Component.PAYMENT, ports, true, layout))
                .contains("--payment.gateway.base-url=http://localhost:" + layout.port(Component.PAYMENT, Component.PAYMENT_GATEWAY));
        assertThat(Platform.serviceEnvironment(Component.OUTBOX_RELAY, ports, true, layout, Map.of(DatabaseRoles.RELAY, "relay-password")))
                .containsEntry("RELAY_SOURCES_0_PORT", String.valueOf(layout.port(Component.OUTBOX_RELAY, Component.POSTGRES)));
        for (Component service : List.of(Component.ORDER, Component.PAYMENT, Component.INVENTORY, Component.SAGA_ORCHESTRATOR,
                Component.OUTBOX_RELAY, Component.PAYMENT_GATEWAY)) {
            assertThat(Platform.serviceArguments(service, ports, true, layout)).as(service.id())
                    .noneMatch(arg -> arg.contains(":" + ports.get(Component.KAFKA)) || arg.contains(":" + ports.get(Component.POSTGRES) + "/"));
        }

        Properties broker = LocalKafka.serverProperties(runFolder.resolve("data"), 9092, 9093);
        layout.addBrokerListeners(broker);
        int listener = new ObjectMapper().readTree(layout.toxiproxyConfig(ports)).findParents("name").stream()
                .filter(proxy -> proxy.path("name").asText().equals("order-service-to-kafka")).findFirst().map(proxy ->
                        Integer.parseInt(proxy.path("upstream").asText().replace("127.0.0.1:", ""))).orElseThrow();
        assertThat(broker.getProperty("listeners")).contains("ORDER_SERVICE://127.0.0.1:" + listener);
        assertThat(broker.getProperty("advertised.listeners"))
                .contains("ORDER_SERVICE://127.0.0.1:" + layout.port(Component.ORDER, Component.KAFKA));
        assertThat(broker.getProperty("listener.security.protocol.map")).contains("ORDER_SERVICE:PLAINTEXT");

        JsonNode proxies = new ObjectMapper().readTree(layout.toxiproxyConfig(ports));
        assertThat(proxies).hasSize(14);
        assertThat(FaultProxyLayout.of(new RunFolder(runFolder, Map.of())).port(Component.ORDER, Component.KAFKA))
                .as("ports kept across runs").isEqualTo(layout.port(Component.ORDER, Component.KAFKA));
    }
}
