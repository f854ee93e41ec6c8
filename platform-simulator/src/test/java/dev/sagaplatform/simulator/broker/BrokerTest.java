package dev.sagaplatform.simulator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.order.OrderApproved;
import dev.sagaplatform.contracts.order.OrderRejected;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class BrokerTest {

    @Test
    void recordsGoToThePartitionKafkasProducerPicksForTheOrderId() {
        for (int i = 0; i < 1000; i++) {
            UUID orderId = UUID.randomUUID();
            assertThat(Broker.partitionOf(orderId)).isEqualTo(BuiltInPartitioner.partitionForKey(
                    orderId.toString().getBytes(StandardCharsets.UTF_8), Topics.PARTITIONS));
        }
    }

    @Test
    void aCrashBeforeTheOffsetCommitDeliversTheRecordAgainInOrder() {
        Broker broker = new Broker();
        ConsumerGroup group = new ConsumerGroup(broker, "order-service", Set.of(Topics.ORDER_EVENTS));
        UUID orderId = UUID.randomUUID();
        broker.publish(UUID.randomUUID(), OrderApproved.TYPE, new OrderApproved(orderId, "c", java.math.BigDecimal.TEN));
        broker.publish(UUID.randomUUID(), OrderRejected.TYPE, new OrderRejected(orderId, "c", dev.sagaplatform.contracts.RejectionReason.TIMED_OUT, "late"));

        Broker.Record first = group.peek(0);
        group.advance(first);
        group.commit(first);
        Broker.Record second = group.peek(0);
        group.advance(second);
        assertThat(group.readyPartitions()).isZero();

        group.rewindToCommitted();

        assertThat(group.readyPartitions()).isEqualTo(1);
        assertThat(group.peek(0)).isEqualTo(second);
        assertThat(group.lag()).isEqualTo(1);
    }
}
