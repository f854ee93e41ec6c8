package dev.sagaplatform.payment.customer;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads demo customers from {@code payment.seed.location} when the table is empty (checked under a table lock, so
 * replicas starting together seed once and all start). Runs while the
 * context starts, after the migrations and before any consumer, so no payment sees an empty table.
 */
@Component
@EnableConfigurationProperties(SeedProperties.class)
class CustomerSeeder implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(CustomerSeeder.class);

    private final CustomerRepository customers;
    private final ResourceLoader resources;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final String location;

    CustomerSeeder(CustomerRepository customers, ResourceLoader resources, TransactionTemplate transactions,
                   JdbcClient jdbc, SeedProperties seed) {
        this.customers = customers;
        this.resources = resources;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.location = seed.location();
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        if ("none".equals(location)) {
            return;
        }
        List<Customer> seed = read();
        Integer inserted = transactions.execute(status -> {
            // Two replicas starting together on an empty database must not both find the table empty (the second
            // would fail on a duplicate key and crash-loop): the lock serializes the check; plain reads go on.
            jdbc.sql("lock table customer in exclusive mode").update();
            if (customers.count() > 0) {
                return 0;
            }
            customers.saveAll(seed);
            return seed.size();
        });
        if (inserted != null && inserted > 0) {
            log.info("seeded {} customers from {}", inserted, location);
        }
    }

    List<Customer> read() throws IOException {
        var resource = resources.getResource(location);
        if (!resource.exists()) {
            throw new IllegalStateException("payment.seed.location " + location + " does not exist");
        }
        SeedFile file;
        try (InputStream in = resource.getInputStream()) {
            file = YAMLMapper.builder().build().readValue(in, SeedFile.class);
        }
        if (file == null || file.customers() == null || file.customers().isEmpty()) {
            throw new IllegalStateException(location + " lists no customers");
        }
        var ids = new HashSet<String>();
        return file.customers().stream().map(entry -> {
            if (entry.customerId() == null || entry.customerId().isBlank() || entry.customerId().length() > 100) {
                throw new IllegalStateException(location + ": customerId must be 1-100 characters: " + entry);
            }
            if (!ids.add(entry.customerId())) {
                throw new IllegalStateException(location + ": customer " + entry.customerId() + " is listed twice");
            }
            if (entry.creditLimit() == null || entry.creditLimit().signum() < 0 || entry.creditLimit().scale() > 2) {
                throw new IllegalStateException(location + ": customer " + entry.customerId()
                        + " needs a creditLimit >= 0 with at most 2 decimals, was " + entry.creditLimit());
            }
            return new Customer(entry.customerId(), entry.name() == null ? entry.customerId() : entry.name(), entry.creditLimit());
        }).toList();
    }

    record SeedFile(List<SeedCustomer> customers) {
    }

    record SeedCustomer(String customerId, String name, BigDecimal creditLimit) {
    }
}
