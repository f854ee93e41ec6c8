package dev.sagaplatform.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Instances of one service joining and leaving its consumer group while messages are being handled (issue 13:
 * {@code ./platform up --replicas N}, rolling restarts). Two members of one group, each built as every subscription's
 * container is (the platform's listener container factory, {@link SubscriptionListener} with the inbox), on a topic of
 * this test's own with {@link Topics#PARTITIONS} partitions, against the real broker and PostgreSQL.
 */
@SpringBootTest
@RealInfrastructure
class RebalanceMidBatchTest {

    private static final String CONSUMER = "rebalance-test";
    private static final int MESSAGES = 60;

    @Autowired
    @Qualifier("messagingListenerContainerFactory")
    ConcurrentKafkaListenerContainerFactory<Object, Object> factory;
    @Autowired
    MessageCodec codec;
    @Autowired
    ProcessedMessages inbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    @Qualifier("databaseRetry")
    Retry databaseRetry;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcClient jdbc;

    private final String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
    private final List<ConcurrentMessageListenerContainer<Object, Object>> members = new ArrayList<>();
    private String topic;
    private String group;

    @BeforeEach
    void topicOfItsOwn() throws Exception {
        String run = UUID.randomUUID().toString();
        topic = "rebalance-" + run;
        group = CONSUMER + "-" + run;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Topics.PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopMembers() {
        members.forEach(ConcurrentMessageListenerContainer::stop);
    }

    /**
     * The first member applies part of a poll's records (each in its own committed transaction, inbox row included)
     * and then hangs in a handler longer than its {@code max.poll.interval.ms}, as a slow instance would. Kafka has
     * not received the offsets of that poll (they are committed after the whole batch), so when the group gives its
     * partitions to the second member, which has just joined, the second member receives the applied records again;
     * the record the first member is still handling reaches both. When the first member comes back it finishes the
     * rest of its stale batch, which the second member has applied by then.
     *
     * <p>Every order's effect must exist exactly once. Without the inbox's check (if {@code markProcessed}'s answer were
     * ignored) each record delivered twice adds a second effect row and the first assertion fails: tried once, all 60
     * orders had two. The duplicate count proves that the redelivery this test is about did happen.
     */
    @Test
    void aRebalanceInTheMiddleOfABatchAppliesEveryMessageExactlyOnce() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handledByFirst = new AtomicInteger();
        List<UUID> orders = publish(MESSAGES);

        var first = member("first", Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "5000"), order -> {
            // The 20th record of this member, not the first of a poll: records before it in the same batch are applied
            // and their offsets not yet committed.
            if (handledByFirst.incrementAndGet() == 20) {
                stalled.countDown();
                awaitQuietly(release);
            }
        });
        first.start();
        assertThat(stalled.await(60, TimeUnit.SECONDS)).as("the first member reached the 20th record").isTrue();

        var second = member("second", Map.of(), order -> { });
        second.start();
        // The group evicts the silent first member after its max.poll.interval.ms and gives the second everything;
        // the second then waits on the inbox row of the record the first member still holds in an open transaction.
        await().atMost(Duration.ofSeconds(60)).until(() -> duplicates() > 0 || waitingOnALock());
        release.countDown();

        // The first member is back in the group with partitions of its own (the cooperative assignor hands it half) only
        // after it finished its stale batch and polled again: nothing of that batch is still on its way.
        await().atMost(Duration.ofSeconds(90)).until(() -> assigned(first) > 0 && assigned(first) + assigned(second) == Topics.PARTITIONS
                && effects() == MESSAGES && groupHasCommittedEverything());

        Map<UUID, Long> effectsPerOrder = new HashMap<>();
        jdbc.sql("select order_id, count(*) as n from test_effect where order_id in (:orders) group by order_id")
                .param("orders", orders)
                .query(rs -> {
                    effectsPerOrder.put(rs.getObject("order_id", UUID.class), rs.getLong("n"));
                });
        assertThat(effectsPerOrder).hasSize(MESSAGES).allSatisfy((order, count) -> assertThat(count).as(order.toString()).isEqualTo(1));
        assertThat(jdbc.sql("select count(*) from processed_message where consumer = ?").param(group).query(Long.class).single())
                .isEqualTo(MESSAGES);
        assertThat(duplicates()).as("messages delivered again after the rebalance, counted as ignored duplicates").isPositive();
    }

    /**
     * With the cooperative assignor a member that keeps some partitions through a rebalance never gives them up: only
     * the partitions that move to the joining member are revoked. With the classic protocol's default (Range first, an
     * eager assignor) the first member would give up all {@link Topics#PARTITIONS} and stop consuming until the
     * rebalance ends.
     */
    @Test
    void aJoiningInstanceTakesOnlyThePartitionsThatMoveAndTheOtherKeepsConsuming() {
        Set<TopicPartition> revokedFromFirst = ConcurrentHashMap.newKeySet();
        AtomicInteger handledByFirst = new AtomicInteger();
        var first = member("first", Map.of(), order -> handledByFirst.incrementAndGet());
        first.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                revokedFromFirst.addAll(partitions);
            }
        });
        first.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> assigned(first) == Topics.PARTITIONS);

        var second = member("second", Map.of(), order -> { });
        second.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> assigned(second) > 0 && assigned(first) + assigned(second) == Topics.PARTITIONS);

        assertThat(revokedFromFirst).as("revoked from the first member").hasSize(assigned(second));
        assertThat(assigned(first)).isEqualTo(Topics.PARTITIONS / 2);
        assertThat(factory.getConsumerFactory().getConfigurationProperties())
                .containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())
                // A killed member's partitions wait this long for a new owner, not Kafka's default 45 s.
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        // The first member still handles messages on the partitions it kept.
        List<UUID> orders = publish(MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> effects() == orders.size());
        assertThat(handledByFirst).hasPositiveValue();
    }

    private ConcurrentMessageListenerContainer<Object, Object> member(String name, Map<String, String> consumerSettings,
                                                                      java.util.function.Consumer<OrderCreated> alsoDo) {
        MessageSubscription subscription = MessageSubscription.consumer(group)
                .on(OrderCreated.class, message -> {
                    jdbc.sql("insert into test_effect (message_id, order_id) values (?, ?)")
                            .params(message.messageId(), message.payload().orderId()).update();
                    alsoDo.accept(message.payload());
                })
                .build();
        ConcurrentMessageListenerContainer<Object, Object> container = factory.createContainer(topic);
        container.getContainerProperties().setGroupId(group);
        container.getContainerProperties().setClientId(CONSUMER + "-" + name);
        Properties overrides = new Properties();
        overrides.putAll(consumerSettings);
        container.getContainerProperties().setKafkaConsumerProperties(overrides);
        container.setConcurrency(1);
        container.setupMessageListener(new SubscriptionListener(subscription, codec, inbox, transactions, databaseRetry, meters));
        container.setBeanName(CONSUMER + "-" + name);
        members.add(container);
        return container;
    }

    /** Distinct order ids as keys, so the messages spread over every partition. */
    private List<UUID> publish(int count) {
        List<UUID> orders = IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
        try (var publisher = new RelayLikePublisher(bootstrap, codec::toJson)) {
            for (UUID order : orders) {
                OrderCreated event = new OrderCreated(order, "customer-rebalance", List.of(new OrderLine("SKU-1", 1, BigDecimal.TEN)),
                        BigDecimal.TEN, SagaFlow.CHOREOGRAPHY, Instant.now());
                publisher.publishRaw(topic, order.toString(), UUID.randomUUID(), OrderCreated.TYPE.name(), codec.toJson(event));
            }
        }
        return orders;
    }

    private long effects() {
        return jdbc.sql("select count(distinct order_id) from test_effect te join processed_message pm"
                        + " on pm.message_id = te.message_id where pm.consumer = ?")
                .param(group).query(Long.class).single();
    }

    private double duplicates() {
        return meters.find("messaging.consumer.messages").tag("consumer", group).tag("outcome", "duplicate").counters()
                .stream().mapToDouble(Counter::count).sum();
    }

    private boolean waitingOnALock() {
        return jdbc.sql("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                .query(Long.class).single() > 0;
    }

    private boolean groupHasCommittedEverything() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            IntStream.range(0, Topics.PARTITIONS).forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() == end.getValue().offset());
        }
    }

    private static int assigned(ConcurrentMessageListenerContainer<?, ?> container) {
        Collection<TopicPartition> partitions = container.getAssignedPartitions();
        return partitions == null ? 0 : partitions.size();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
