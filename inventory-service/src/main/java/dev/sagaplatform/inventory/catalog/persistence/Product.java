package dev.sagaplatform.inventory.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/**
 * A SKU with its price and stock. The stock numbers change only under the row lock taken by
 * {@link ProductRepository#lockBySkus}; the table's check constraints are the last line of defence.
 */
@Entity
@Table(name = "products")
public class Product {

    @Id
    private String sku;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false, precision = 12, scale = 2)
    private BigDecimal price;

    @Column(nullable = false)
    private int available;

    @Column(nullable = false)
    private int reserved;

    protected Product() {
    }

    public Product(String sku, String name, BigDecimal price, int available) {
        this.sku = sku;
        this.name = name;
        this.price = price;
        this.available = available;
        this.reserved = 0;
    }

    public void reserve(int quantity) {
        available -= quantity;
        reserved += quantity;
    }

    public void release(int quantity) {
        reserved -= quantity;
        available += quantity;
    }

    /**
     * Sets the total on hand; what orders hold stays reserved and the rest becomes available.
     *
     * @throws OnHandBelowReservedException and changes nothing when orders hold more than {@code onHand}
     */
    public void restock(int onHand) {
        if (onHand < reserved) {
            throw new OnHandBelowReservedException(sku, onHand, reserved);
        }
        available = onHand - reserved;
    }

    public void reprice(BigDecimal newPrice) {
        price = newPrice;
    }

    public void rename(String newName) {
        name = newName;
    }

    public String sku() {
        return sku;
    }

    public String name() {
        return name;
    }

    public BigDecimal price() {
        return price;
    }

    public int available() {
        return available;
    }

    public int reserved() {
        return reserved;
    }

    public int onHand() {
        return available + reserved;
    }
}
