package dev.sagaplatform.order.orders.persistence;

import dev.sagaplatform.order.orders.domain.OrderItem;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;

@Embeddable
public class OrderLineEmbeddable {

    @Column(name = "sku", nullable = false, length = 64)
    private String sku;

    @Column(name = "quantity", nullable = false)
    private int quantity;

    @Column(name = "unit_price", nullable = false, precision = 19, scale = 2)
    private BigDecimal unitPrice;

    @Column(name = "line_total", nullable = false, precision = 19, scale = 2)
    private BigDecimal lineTotal;

    protected OrderLineEmbeddable() {
    }

    static OrderLineEmbeddable from(OrderItem item) {
        OrderLineEmbeddable line = new OrderLineEmbeddable();
        line.sku = item.sku();
        line.quantity = item.quantity();
        line.unitPrice = item.unitPrice();
        line.lineTotal = item.lineTotal();
        return line;
    }

    OrderItem toDomain() {
        return new OrderItem(sku, quantity, unitPrice, lineTotal);
    }
}
