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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * One instance per catalog type, with every component set, so a round trip exercises each field.
 * Prices carry trailing zeros and the timestamp carries microseconds because those are what a
 * careless mapper setting loses.
 */
final class MessageSamples {

    static final UUID ORDER_ID = UUID.fromString("0b6f3c1e-4a57-4d2a-9c1e-2f5d8a7b9c01");
    static final UUID SAGA_ID = UUID.fromString("7d1e2f3a-5b6c-4d7e-8f90-a1b2c3d4e5f6");
    static final UUID COMMAND_ID = UUID.fromString("c0ffee00-1234-4abc-8def-0123456789ab");
    static final String CUSTOMER = "customer-42";
    static final List<OrderLine> ITEMS = List.of(
            new OrderLine("SKU-KEYBOARD", 2, new BigDecimal("19.90")),
            new OrderLine("SKU-MOUSE", 1, new BigDecimal("20.00")));
    static final BigDecimal TOTAL = new BigDecimal("59.80");
    static final Instant CREATED_AT = Instant.parse("2025-03-04T05:06:07.123456Z");

    private static final Map<Class<?>, Message> BY_TYPE = Stream.<Message>of(
            new OrderCreated(ORDER_ID, CUSTOMER, ITEMS, TOTAL, SagaFlow.ORCHESTRATION, CREATED_AT),
            new OrderApproved(ORDER_ID, CUSTOMER, TOTAL),
            new OrderRejected(ORDER_ID, CUSTOMER, RejectionReason.OUT_OF_STOCK, "SKU-MOUSE: 1 requested, 0 available"),
            new OrderTimedOut(ORDER_ID, CUSTOMER, ITEMS, TOTAL),
            new PaymentAuthorized(ORDER_ID, CUSTOMER, TOTAL, "pay-0001", ITEMS),
            new PaymentDeclined(ORDER_ID, CUSTOMER, TOTAL, RejectionReason.INSUFFICIENT_CREDIT, "59.80 requested, 10.00 available"),
            new PaymentRefunded(ORDER_ID, CUSTOMER, TOTAL, RejectionReason.OUT_OF_STOCK, "SKU-MOUSE: 1 requested, 0 available"),
            new StockReserved(ORDER_ID, ITEMS),
            new StockRejected(ORDER_ID, RejectionReason.OUT_OF_STOCK, "SKU-MOUSE: 1 requested, 0 available"),
            new AuthorizePayment(COMMAND_ID, SAGA_ID, ORDER_ID, CUSTOMER, TOTAL),
            new RefundPayment(COMMAND_ID, SAGA_ID, ORDER_ID, CUSTOMER, TOTAL),
            new ReserveStock(COMMAND_ID, SAGA_ID, ORDER_ID, ITEMS),
            new ReleaseStock(COMMAND_ID, SAGA_ID, ORDER_ID, ITEMS),
            new ApproveOrder(COMMAND_ID, SAGA_ID, ORDER_ID),
            new RejectOrder(COMMAND_ID, SAGA_ID, ORDER_ID, RejectionReason.TIMED_OUT, "ReserveStock: no reply within 30s"),
            SagaReply.failure(new ReserveStock(COMMAND_ID, SAGA_ID, ORDER_ID, ITEMS),
                    RejectionReason.OUT_OF_STOCK, "SKU-MOUSE: 1 requested, 0 available"))
            .collect(Collectors.toUnmodifiableMap(Object::getClass, m -> m));

    private MessageSamples() {
    }

    /** Fails the calling test when a catalog type was added without a sample here. */
    @SuppressWarnings("unchecked")
    static <T extends Message> T sampleOf(MessageType<T> type) {
        Message sample = BY_TYPE.get(type.javaType());
        if (sample == null) {
            return fail("no sample for message type %s: add one to %s", type.name(), MessageSamples.class.getSimpleName());
        }
        return (T) sample;
    }
}
