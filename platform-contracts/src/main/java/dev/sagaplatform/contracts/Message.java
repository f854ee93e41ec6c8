package dev.sagaplatform.contracts;

import java.util.UUID;

/**
 * Every event, command and reply of both saga flows.
 *
 * <p>Each message names its order because the order id is the Kafka key (the outbox
 * {@code aggregateid}): that keeps all messages of one order on one partition, in order.
 */
public interface Message {

    UUID orderId();
}
