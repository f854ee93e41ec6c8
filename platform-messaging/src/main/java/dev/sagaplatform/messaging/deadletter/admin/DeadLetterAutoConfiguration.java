package dev.sagaplatform.messaging.deadletter.admin;

import dev.sagaplatform.messaging.MessagingAutoConfiguration;
import dev.sagaplatform.messaging.MessagingProperties;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.deadletter.DeadLetterStore;
import dev.sagaplatform.messaging.deadletter.DeadLetterTally;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * For a service that consumes (has a {@link MessageSubscription}): its dead letters through {@code /admin/dead-letters}
 * when it is a servlet web application with platform-web's admin security, and the {@code deadLetters} health component
 * when it has Spring Boot's health support (actuator).
 */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
@ConditionalOnBean(MessageSubscription.class)
public class DeadLetterAutoConfiguration {

    /** Each broker call of a listing or replay: long enough for a busy broker, short enough for an HTTP request. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    /** The service's own Kafka client settings (bootstrap servers, security), as its consumers and producers use them. */
    @Bean
    @ConditionalOnMissingBean
    DeadLetterStore deadLetterStore(KafkaProperties kafka) {
        return new DeadLetterStore(kafka.buildConsumerProperties(), kafka.buildProducerProperties(), BROKER_TIMEOUT);
    }

    /**
     * Never without platform-web's admin security, which makes every {@code /admin/**} path need the platform admin:
     * an open replay endpoint would let anyone re-run saga steps.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"dev.sagaplatform.web.admin.AdminSecurityAutoConfiguration",
            "org.springframework.security.web.SecurityFilterChain"})
    static class AdminApi {

        @Bean
        DeadLetterAdminController deadLetterAdminController(DeadLetterStore deadLetterStore, List<MessageSubscription> subscriptions,
                                                            MessagingProperties messaging) {
            return new DeadLetterAdminController(deadLetterStore, subscriptions, messaging.consumer());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
    static class HealthComponent {

        /** The component's name comes from the bean's: {@code deadLetters}. */
        @Bean
        DeadLettersHealthIndicator deadLettersHealthIndicator(DeadLetterTally deadLetterTally) {
            return new DeadLettersHealthIndicator(deadLetterTally);
        }
    }
}
