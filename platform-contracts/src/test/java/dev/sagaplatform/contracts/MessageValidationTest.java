package dev.sagaplatform.contracts;

import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.order.OrderRejected;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageValidationTest {

    private static final OrderLine LINE = new OrderLine("SKU-1", 1, new BigDecimal("5.00"));

    @Test
    void refusesAMissingOrderIdNamingTheField() {
        assertThatThrownBy(() -> new StockReserved(null, List.of(LINE)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("orderId must not be null");
    }

    @Test
    void refusesACommandWithoutItsSagaId() {
        assertThatThrownBy(() -> new ApproveOrder(UUID.randomUUID(), null, UUID.randomUUID()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("sagaId must not be null");
    }

    @Test
    void refusesAnOrderWithoutAFlow() {
        assertThatThrownBy(() -> new OrderCreated(UUID.randomUUID(), "c", List.of(LINE), BigDecimal.TEN, null, Instant.now()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("flow must not be null");
    }

    @Test
    void refusesMissingItems() {
        assertThatThrownBy(() -> new StockReserved(UUID.randomUUID(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("items must not be null");
    }

    @Test
    void keepsItsOwnCopyOfTheItems() {
        List<OrderLine> items = new ArrayList<>(List.of(LINE));
        StockReserved event = new StockReserved(UUID.randomUUID(), items);

        items.add(new OrderLine("SKU-2", 1, BigDecimal.ONE));

        assertThat(event.items()).containsExactly(LINE);
        assertThatThrownBy(() -> event.items().add(LINE)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesAnOrderLineWithoutSkuOrPrice() {
        assertThatThrownBy(() -> new OrderLine(null, 1, BigDecimal.ONE)).hasMessage("sku must not be null");
        assertThatThrownBy(() -> new OrderLine("SKU-1", 1, null)).hasMessage("unitPrice of sku SKU-1 must not be null");
    }

    @Test
    void leavesBusinessRulesToTheServices() {
        assertThat(new OrderLine("SKU-1", 0, BigDecimal.ZERO).quantity()).isZero();
    }

    @Test
    void allowsAMissingReasonDetail() {
        assertThat(new OrderRejected(UUID.randomUUID(), "c", RejectionReason.TIMED_OUT, null).reasonDetail()).isNull();
    }
}
