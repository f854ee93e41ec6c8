package dev.sagaplatform.console.timeline.messaging;

import dev.sagaplatform.contracts.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics it reads, created where missing as every service does (a console started before the services would
 * otherwise subscribe to topics its consumer learns about only at the next metadata refresh). Where an operator owns
 * the topics (Strimzi in {@code k8s/}), {@code spring.kafka.admin.auto-create=false}.
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics sagaTopics() {
        return new KafkaAdmin.NewTopics(Topics.withDeadLetters().stream()
                .map(topic -> TopicBuilder.name(topic).partitions(Topics.PARTITIONS)
                        .config(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Topics.retention(topic).toMillis())).build())
                .toArray(NewTopic[]::new));
    }
}
