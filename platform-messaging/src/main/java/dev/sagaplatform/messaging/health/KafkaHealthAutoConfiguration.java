package dev.sagaplatform.messaging.health;

import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code kafka} health component for a service with Spring Boot's health support; the services' YAML puts it in
 * the readiness group (with {@code db}), never in liveness: a broker that is away takes a service out of the load
 * balancer, it does not restart it.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
public class KafkaHealthAutoConfiguration {

    /** Below a probe's usual 1 s–5 s timeout with room to spare, above a healthy broker's few milliseconds. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The component's name comes from the bean's: {@code kafka}. */
    @Bean
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka) {
        return new KafkaHealthIndicator(kafka.buildAdminProperties(), TIMEOUT);
    }
}
