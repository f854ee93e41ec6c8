package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The demo's claims hold for the seed data the services load: each sample order can only end as the demo says. */
class DemoScenariosTest {

    @Test
    void eachSampleOrderEndsAsTheDemoSaysWithTheSeedData() throws Exception {
        Path root = Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
        Map<String, BigDecimal> credit = new java.util.HashMap<>();
        for (Map<String, Object> customer : list(root.resolve("payment-service/src/main/resources/seed/customers.yaml"), "customers")) {
            credit.put((String) customer.get("customerId"), new BigDecimal(customer.get("creditLimit").toString()));
        }
        Map<String, BigDecimal> price = new java.util.HashMap<>();
        Map<String, Integer> stock = new java.util.HashMap<>();
        for (Map<String, Object> product : list(root.resolve("inventory-service/src/main/resources/seed/products.yaml"), "products")) {
            price.put((String) product.get("sku"), new BigDecimal(product.get("price").toString()));
            stock.put((String) product.get("sku"), (Integer) product.get("stock"));
        }
        for (Demo.Scenario scenario : Demo.SCENARIOS) {
            BigDecimal total = BigDecimal.ZERO;
            boolean inStock = true;
            for (Map.Entry<String, Integer> line : scenario.items().entrySet()) {
                total = total.add(price.get(line.getKey()).multiply(BigDecimal.valueOf(line.getValue())));
                inStock &= stock.get(line.getKey()) >= line.getValue();
            }
            boolean paid = credit.get(scenario.customer()).compareTo(total) >= 0;
            String outcome = !paid ? "REJECTED INSUFFICIENT_CREDIT" : !inStock ? "REJECTED OUT_OF_STOCK" : "APPROVED";
            assertThat(outcome).as(scenario.toString()).isEqualTo(scenario.expected());
        }
        assertThat(Demo.SCENARIOS).extracting(Demo.Scenario::flow).containsOnly("CHOREOGRAPHY", "ORCHESTRATION");
        assertThat(Demo.SCENARIOS).extracting(Demo.Scenario::expected).contains("APPROVED", "REJECTED INSUFFICIENT_CREDIT",
                "REJECTED OUT_OF_STOCK");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Path file, String key) throws Exception {
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        return (List<Map<String, Object>>) document.get(key);
    }
}
