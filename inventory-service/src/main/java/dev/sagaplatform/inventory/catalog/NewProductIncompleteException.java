package dev.sagaplatform.inventory.catalog;

import java.util.ArrayList;
import java.util.List;

/** A SKU the catalogue does not have yet can only be created with its price and its stock on hand. */
public class NewProductIncompleteException extends RuntimeException {

    private final List<String> missing;

    NewProductIncompleteException(String sku, boolean priceMissing, boolean onHandMissing) {
        super(sku + " is a new product: creating it needs price and onHand", null, false, false);
        List<String> fields = new ArrayList<>();
        if (priceMissing) {
            fields.add("price");
        }
        if (onHandMissing) {
            fields.add("onHand");
        }
        this.missing = List.copyOf(fields);
    }

    public List<String> missing() {
        return missing;
    }
}
