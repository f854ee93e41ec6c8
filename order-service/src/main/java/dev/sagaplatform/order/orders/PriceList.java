package dev.sagaplatform.order.orders;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Catalogue prices, asked at placement; {@link dev.sagaplatform.order.remote.InventoryClient} in production. */
public interface PriceList {

    /**
     * @return the price of each requested SKU the catalogue knows; unknown SKUs are absent
     * @throws dev.sagaplatform.order.remote.DependencyUnavailableException when the answer cannot be had
     */
    Map<String, BigDecimal> prices(List<String> skus);
}
