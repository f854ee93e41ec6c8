package dev.sagaplatform.console;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code console.*}.
 *
 * @param services       base URL of each service the console reads health and metrics from and sends operator actions
 *                       to, by module name; {@value #ORCHESTRATOR} is needed for stuck sagas and their retry, a consuming
 *                       service for replaying its dead letters
 * @param zipkinTraceUrl link of a trace, {@code {traceId}} replaced by the message's trace id
 * @param readsOpen      whether the page and its read API are open (the local platform) or need the admin (Kubernetes)
 * @param stuckAfter     a PENDING order with no message for this long is listed as stuck: past a step timeout (8-30 s)
 *                       and a dead-lettering (~6 s), short of the choreography deadline (2 min), which would end it
 * @param consumerGroup  its own group: reading every saga topic takes nothing from the participants
 * @param adminUser      the credentials the console calls the other services' admin endpoints with (the platform admin)
 * @param callTimeout    each call to another service; the page polls, so a slow service must not hold it up
 */
@ConfigurationProperties("console")
public record ConsoleProperties(Map<String, URI> services,
                                @DefaultValue("http://localhost:9411/zipkin/traces/{traceId}") String zipkinTraceUrl,
                                @DefaultValue("true") boolean readsOpen,
                                @DefaultValue("60s") Duration stuckAfter,
                                @DefaultValue("saga-console") String consumerGroup,
                                @DefaultValue("admin") String adminUser,
                                String adminPassword,
                                @DefaultValue("3s") Duration callTimeout) {

    public static final String ORCHESTRATOR = "saga-orchestrator";
    public static final String RELAY = "outbox-relay";
    static final Set<String> KNOWN_SERVICES = Set.of("order-service", "payment-service", "inventory-service", ORCHESTRATOR, RELAY,
            "payment-gateway");

    public ConsoleProperties {
        services = services == null ? Map.of() : Map.copyOf(services);
        for (var service : services.entrySet()) {
            if (!KNOWN_SERVICES.contains(service.getKey())) {
                throw new IllegalArgumentException("console.services." + service.getKey() + " is not a platform service; known: "
                        + String.join(", ", KNOWN_SERVICES.stream().sorted().toList()));
            }
            URI url = service.getValue();
            if (url == null || !url.isAbsolute() || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
                throw new IllegalArgumentException("console.services." + service.getKey() + " must be an http(s) URL, was: " + url);
            }
        }
        if (zipkinTraceUrl == null || !zipkinTraceUrl.contains("{traceId}")) {
            throw new IllegalArgumentException("console.zipkin-trace-url must contain {traceId}, was: " + zipkinTraceUrl);
        }
        if (stuckAfter == null || stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("console.stuck-after must be positive, was: " + stuckAfter);
        }
        if (consumerGroup == null || consumerGroup.isBlank()) {
            throw new IllegalArgumentException("console.consumer-group must not be blank");
        }
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("console.call-timeout must be positive, was: " + callTimeout);
        }
    }

    public boolean hasAdminPassword() {
        return adminPassword != null && !adminPassword.isBlank();
    }
}
