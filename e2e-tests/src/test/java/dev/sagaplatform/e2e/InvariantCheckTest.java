package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The invariant check itself must be able to fail: corrupt money and stock, expect it to say so. */
class InvariantCheckTest extends EndToEndTest {

    @Test
    void reportsMoneyThatNoApprovedOrderExplainsAndStockThatNoOrderHolds() {
        String sku = ChoreographedSagaTest.newProduct("1.00", 10);
        execute(Service.PAYMENT, "update customer set available_credit = available_credit - 1.00 where customer_id = 'carol'");
        execute(Service.INVENTORY, "update products set available = available - 1, reserved = reserved + 1 where sku = '" + sku + "'");
        try {
            assertThat(new Invariants(app).violations())
                    .anySatisfy(v -> assertThat(v).startsWith("customer carol spent"))
                    .anySatisfy(v -> assertThat(v).startsWith("sku " + sku + " has 1 reserved"));
        } finally {
            execute(Service.PAYMENT, "update customer set available_credit = available_credit + 1.00 where customer_id = 'carol'");
            execute(Service.INVENTORY, "update products set available = available + 1, reserved = reserved - 1 where sku = '" + sku + "'");
        }
    }

    private static void execute(Service service, String sql) {
        try (Connection connection = app.database(service).getConnection()) {
            connection.createStatement().executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
