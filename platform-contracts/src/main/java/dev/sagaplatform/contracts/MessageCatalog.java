package dev.sagaplatform.contracts;

import dev.sagaplatform.contracts.inventory.StockRejected;
import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.order.OrderApproved;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.order.OrderRejected;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.contracts.payment.PaymentDeclined;
import dev.sagaplatform.contracts.payment.PaymentRefunded;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.contracts.saga.SagaReply;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every message type of both flows, looked up by wire name (decoding) or by record class (encoding).
 * A type that is not listed here cannot be sent or received: the outbox writer and the consumers
 * both go through this catalog, so the two sides cannot disagree on a name.
 */
public final class MessageCatalog {

    private static final List<MessageType<?>> ALL = List.of(
            OrderCreated.TYPE,
            OrderApproved.TYPE,
            OrderRejected.TYPE,
            OrderTimedOut.TYPE,
            PaymentAuthorized.TYPE,
            PaymentDeclined.TYPE,
            PaymentRefunded.TYPE,
            StockReserved.TYPE,
            StockRejected.TYPE,
            AuthorizePayment.TYPE,
            RefundPayment.TYPE,
            ReserveStock.TYPE,
            ReleaseStock.TYPE,
            ApproveOrder.TYPE,
            RejectOrder.TYPE,
            SagaReply.TYPE);

    private static final Map<String, MessageType<?>> BY_NAME = index(ALL);
    private static final Map<Class<?>, MessageType<?>> BY_CLASS = indexByClass(ALL);

    private MessageCatalog() {
    }

    public static Collection<MessageType<?>> all() {
        return ALL;
    }

    /** @throws IllegalArgumentException naming the unknown type and the known ones */
    public static MessageType<?> byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown message type '" + name + "'; known types: " + String.join(", ", BY_NAME.keySet())));
    }

    /** For consumers that skip types they do not handle instead of failing on them. */
    public static Optional<MessageType<?>> find(String name) {
        return Optional.ofNullable(name).map(BY_NAME::get);
    }

    /** @throws IllegalArgumentException if the class is not a catalog message */
    @SuppressWarnings("unchecked")
    public static <T extends Message> MessageType<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type must not be null");
        MessageType<?> found = BY_CLASS.get(type);
        if (found == null) {
            throw new IllegalArgumentException(
                    type.getName() + " is not in the message catalog; known types: " + String.join(", ", BY_NAME.keySet()));
        }
        return (MessageType<T>) found;
    }

    private static Map<String, MessageType<?>> index(List<MessageType<?>> types) {
        Map<String, MessageType<?>> byName = new LinkedHashMap<>();
        for (MessageType<?> type : types) {
            if (byName.putIfAbsent(type.name(), type) != null) {
                throw new IllegalStateException("message type name " + type.name() + " is used twice");
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    private static Map<Class<?>, MessageType<?>> indexByClass(List<MessageType<?>> types) {
        Map<Class<?>, MessageType<?>> byClass = new LinkedHashMap<>();
        for (MessageType<?> type : types) {
            if (byClass.putIfAbsent(type.javaType(), type) != null) {
                throw new IllegalStateException(type.javaType().getName() + " is listed twice in the message catalog");
            }
        }
        return Collections.unmodifiableMap(byClass);
    }
}
