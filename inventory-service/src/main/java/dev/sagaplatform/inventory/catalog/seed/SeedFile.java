package dev.sagaplatform.inventory.catalog.seed;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@code products.yaml}:
 * <pre>
 * products:
 *   - sku: SKU-APPLE
 *     name: Apple
 *     price: 1.50
 *     stock: 1000
 * </pre>
 * Read as a tree and checked field by field, so that a typo fails start-up with the entry and field
 * at fault rather than a binding stack trace, and never loads half a catalogue.
 */
public final class SeedFile {

    static final int MAX_SKU_LENGTH = 64;
    static final int MAX_NAME_LENGTH = 200;
    private static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");
    private static final Set<String> FIELDS = Set.of("sku", "name", "price", "stock");

    // Floats as BigDecimal: a price must keep the digits that were written, not a binary approximation.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private SeedFile() {
    }

    /**
     * @param source names the file in error messages, e.g. {@code classpath:seed/products.yaml}
     * @throws InvalidSeedDataException naming the entry (position and SKU) and the field at fault
     */
    public static List<SeedProduct> parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JacksonException e) {
            throw new InvalidSeedDataException("seed file " + source + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InvalidSeedDataException("seed file " + source + " is empty; expected a 'products' list");
        }
        JsonNode entries = root.get("products");
        if (entries == null || !entries.isArray()) {
            throw new InvalidSeedDataException("seed file " + source + " has no 'products' list at the top level");
        }

        List<SeedProduct> products = new ArrayList<>();
        Set<String> skus = new HashSet<>();
        int position = 0;
        for (JsonNode entry : entries.values()) {
            position++;
            SeedProduct product = entry(entry, source, position);
            if (!skus.add(product.sku())) {
                throw new InvalidSeedDataException(where(source, position, product.sku()) + "duplicate sku");
            }
            products.add(product);
        }
        return List.copyOf(products);
    }

    private static SeedProduct entry(JsonNode entry, String source, int position) {
        if (!entry.isObject()) {
            throw new InvalidSeedDataException(where(source, position, null) + "must be a mapping of sku, name, price, stock");
        }
        String sku = text(entry.get("sku"));
        String at = where(source, position, sku);
        for (String field : entry.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new InvalidSeedDataException(at + "unknown field '" + field + "' (expected sku, name, price, stock)");
            }
        }
        if (sku == null || sku.isBlank() || sku.length() > MAX_SKU_LENGTH || !sku.equals(sku.strip())) {
            throw new InvalidSeedDataException(at + "sku must be 1-" + MAX_SKU_LENGTH
                    + " characters without surrounding blanks, was " + describe(entry.get("sku")));
        }
        String name = text(entry.get("name"));
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidSeedDataException(at + "name must be 1-" + MAX_NAME_LENGTH
                    + " characters, was " + describe(entry.get("name")));
        }
        return new SeedProduct(sku, name, price(entry.get("price"), at), stock(entry.get("stock"), at));
    }

    private static BigDecimal price(JsonNode node, String at) {
        BigDecimal price = null;
        if (node != null && node.isNumber()) {
            price = node.decimalValue();
        } else if (node != null && node.isString()) {
            try {
                price = new BigDecimal(node.stringValue().strip());
            } catch (NumberFormatException e) {
                price = null;
            }
        }
        if (price == null || price.signum() < 0 || price.stripTrailingZeros().scale() > 2
                || price.compareTo(MAX_PRICE) > 0) {
            throw new InvalidSeedDataException(at + "price must be a number from 0 to " + MAX_PRICE
                    + " with at most 2 decimals, was " + describe(node));
        }
        return price.setScale(2);
    }

    private static int stock(JsonNode node, String at) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw new InvalidSeedDataException(at + "stock must be a whole number >= 0, was " + describe(node));
        }
        return node.intValue();
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    private static String where(String source, int position, String sku) {
        return "seed file " + source + ", entry " + position + (sku != null ? " (sku " + sku + ")" : "") + ": ";
    }

    private static String describe(JsonNode node) {
        return node == null || node.isMissingNode() ? "missing" : "'" + node.asString() + "'";
    }
}
