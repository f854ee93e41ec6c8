package dev.sagaplatform.relay;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RelayProperties.class)
class RelayConfiguration {

    @Bean
    KafkaPublisher kafkaPublisher(KafkaProperties kafka, RelayProperties relay, CircuitBreakerRegistry circuitBreakers,
                                  BulkheadRegistry bulkheads, TimeLimiterRegistry timeLimiters) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Not overridable: the relay's at-least-once promise rests on these.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        // Fail a blocked send quickly and let the publisher's own backoff take over, so health says RETRYING.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return new KafkaPublisher(config, relay.retryInitialInterval(), relay.retryMaxInterval(),
                circuitBreakers.circuitBreaker(KafkaPublisher.NAME), bulkheads.bulkhead(KafkaPublisher.NAME),
                timeLimiters.timeLimiter(KafkaPublisher.NAME));
    }

    @Bean
    OutboxRelay outboxRelay(RelayProperties relay, KafkaPublisher publisher, MeterRegistry meters,
                            ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        var tracing = new PublishTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
        var mapper = new OutboxRowMapper(relay.effectiveRoutes());
        List<SourceRelay> sources = relay.sources().stream()
                .map(source -> new SourceRelay(source, relay, mapper, publisher, new RelayMetrics(meters, source.name()), tracing))
                .toList();
        OutboxRelay outboxRelay = new OutboxRelay(sources, publisher);
        relay.sources().forEach(source -> io.micrometer.core.instrument.Gauge.builder("relay.source.running", outboxRelay,
                        r -> r.states().get(source.name()).status() == SourceState.Status.RUNNING ? 1 : 0)
                .tag("source", source.name()).description("1 while the source streams its outbox, 0 while it starts, retries, failed or stands by for another instance")
                .register(meters));
        relay.sources().forEach(source -> io.micrometer.core.instrument.Gauge.builder("relay.source.active", outboxRelay,
                        r -> Boolean.TRUE.equals(r.roles().get(source.name())) ? 1 : 0)
                .tag("source", source.name())
                .description("1 while this instance holds the source's election lock (ACTIVE), 0 while it stands by")
                .register(meters));
        return outboxRelay;
    }

    @Bean(destroyMethod = "close")
    SlotMonitor slotMonitor(RelayProperties relay, MeterRegistry meters) {
        SlotMonitor monitor = new SlotMonitor(relay.sources(), meters);
        monitor.start(relay.health().slotCheckInterval());
        return monitor;
    }

    @Bean
    RelaySourcesHealthIndicator relaySourcesHealthIndicator(OutboxRelay relay, SlotMonitor slots, RelayProperties properties) {
        return new RelaySourcesHealthIndicator(relay, slots, properties.health());
    }
}
