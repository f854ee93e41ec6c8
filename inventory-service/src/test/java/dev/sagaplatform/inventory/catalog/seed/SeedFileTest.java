package dev.sagaplatform.inventory.catalog.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedFileTest {

    @Test
    void theBundledCatalogueHasTheValuesTheDemoAndEndToEndTestsRelyOn() throws Exception {
        List<SeedProduct> products;
        try (InputStream in = getClass().getResourceAsStream("/seed/products.yaml")) {
            products = SeedFile.parse(in, "classpath:seed/products.yaml");
        }

        assertThat(products).containsExactly(
                new SeedProduct("SKU-APPLE", "Apple", new BigDecimal("1.50"), 1000),
                new SeedProduct("SKU-BOOK", "Book", new BigDecimal("12.00"), 200),
                new SeedProduct("SKU-LAPTOP", "Laptop", new BigDecimal("999.00"), 5),
                new SeedProduct("SKU-PEN", "Pen", new BigDecimal("0.80"), 10000),
                new SeedProduct("SKU-WATCH", "Watch", new BigDecimal("150.00"), 20));
    }

    @Test
    void normalisesPricesToTwoDecimals() {
        var products = parse("""
                products:
                  - {sku: A, name: A, price: 3, stock: 1}
                  - {sku: B, name: B, price: "4.5", stock: 0}
                """);

        assertThat(products).extracting(SeedProduct::price).containsExactly(new BigDecimal("3.00"), new BigDecimal("4.50"));
    }

    @Test
    void aNegativeStockNamesTheEntry() {
        assertInvalid("""
                products:
                  - {sku: A, name: A, price: 1, stock: 1}
                  - {sku: B, name: B, price: 1, stock: -1}
                """, "seed file test.yaml, entry 2 (sku B): stock must be a whole number >= 0, was '-1'");
    }

    @Test
    void aPriceWithMoreThanTwoDecimalsIsRefused() {
        assertInvalid("""
                products:
                  - {sku: A, name: A, price: 1.005, stock: 1}
                """, "entry 1 (sku A): price must be a number from 0 to 9999999999.99 with at most 2 decimals, was '1.005'");
    }

    @Test
    void aMissingNameIsRefused() {
        assertInvalid("""
                products:
                  - {sku: A, price: 1, stock: 1}
                """, "entry 1 (sku A): name must be 1-200 characters, was missing");
    }

    @Test
    void aMissingSkuIsRefused() {
        assertInvalid("""
                products:
                  - {name: A, price: 1, stock: 1}
                """, "entry 1: sku must be 1-64 characters");
    }

    @Test
    void aDuplicateSkuIsRefused() {
        assertInvalid("""
                products:
                  - {sku: A, name: A, price: 1, stock: 1}
                  - {sku: A, name: B, price: 2, stock: 2}
                """, "entry 2 (sku A): duplicate sku");
    }

    @Test
    void aMisspelledFieldIsRefusedRatherThanIgnored() {
        assertInvalid("""
                products:
                  - {sku: A, name: A, price: 1, stok: 1}
                """, "entry 1 (sku A): unknown field 'stok'");
    }

    @Test
    void aFractionalStockIsRefused() {
        assertInvalid("""
                products:
                  - {sku: A, name: A, price: 1, stock: 1.5}
                """, "entry 1 (sku A): stock must be a whole number >= 0, was '1.5'");
    }

    @Test
    void aFileWithoutAProductsListIsRefused() {
        assertInvalid("items: []\n", "has no 'products' list");
        assertInvalid("", "is empty");
        assertInvalid("products: [\n", "is not valid YAML");
    }

    private static List<SeedProduct> parse(String yaml) {
        return SeedFile.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static void assertInvalid(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(InvalidSeedDataException.class).hasMessageContaining(message);
    }
}
