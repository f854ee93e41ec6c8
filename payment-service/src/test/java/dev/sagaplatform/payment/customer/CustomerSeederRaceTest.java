package dev.sagaplatform.payment.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two replicas of payment-service starting together on an empty database (the production overlay runs two) both
 * seed the demo customers: both must start, and the customers are there once. Before the table lock the second one
 * failed on a duplicate key and crash-looped. Real PostgreSQL, the service's own migrations; the context itself
 * seeds nothing, the test runs two seeders at a time on an emptied table, several rounds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "payment.seed.location=none",
        "spring.kafka.listener.auto-startup=false"})
@RealInfrastructure
class CustomerSeederRaceTest {

    private static final String SEED = "classpath:seed/customers.yaml";

    @Autowired
    CustomerRepository customers;
    @Autowired
    ResourceLoader resources;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    @Test
    void twoSeedersOnAnEmptyDatabaseBothSucceedAndSeedOnce() throws Exception {
        int expected = seeder().read().size();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                jdbc.sql("delete from customer").update();
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<Void>> starts = new ArrayList<>();
                for (int replica = 0; replica < 2; replica++) {
                    CustomerSeeder seeder = seeder();
                    starts.add(CompletableFuture.runAsync(() -> {
                        try {
                            together.await(10, TimeUnit.SECONDS);
                            seeder.afterPropertiesSet();
                        }
                        catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                    }, pool));
                }
                for (CompletableFuture<Void> start : starts) {
                    start.get(60, TimeUnit.SECONDS);
                }
                assertThat(customers.count()).as("round " + round).isEqualTo(expected);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSeederOnASeededTableAddsNothing() throws Exception {
        jdbc.sql("delete from customer").update();
        seeder().afterPropertiesSet();
        long seeded = customers.count();

        seeder().afterPropertiesSet();

        assertThat(seeded).isEqualTo(seeder().read().size());
        assertThat(customers.count()).isEqualTo(seeded);
    }

    private CustomerSeeder seeder() {
        return new CustomerSeeder(customers, resources, transactions, jdbc, new SeedProperties(SEED));
    }
}
