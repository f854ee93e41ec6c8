package dev.sagaplatform.messaging.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code kafka} health component, in every consuming service's readiness group: UP when the brokers answer a
 * {@code describeCluster} within {@code timeout} (cluster id and broker count in the details), DOWN otherwise. Spring
 * Boot has no Kafka health indicator. One admin client, made on first use with the service's own Kafka settings
 * (bootstrap servers, SASL), kept for the next checks and closed with the context.
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private final Map<String, Object> adminSettings;
    private final Duration timeout;
    private AdminClient admin;

    public KafkaHealthIndicator(Map<String, Object> adminSettings, Duration timeout) {
        super("Kafka health check failed");
        Map<String, Object> settings = new HashMap<>(adminSettings);
        // A probe must answer within its own deadline, not the client's default minute.
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "health-check");
        this.adminSettings = Map.copyOf(settings);
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        try {
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            builder.up().withDetail("clusterId", clusterId).withDetail("brokers", brokers);
        } catch (TimeoutException e) {
            builder.down().withDetail("error", "no answer from " + adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            builder.down(e.getCause() != null ? e.getCause() : e);
        }
    }

    private synchronized AdminClient admin() {
        if (admin == null) {
            admin = AdminClient.create(adminSettings);
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
