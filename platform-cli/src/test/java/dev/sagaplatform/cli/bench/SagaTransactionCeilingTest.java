package dev.sagaplatform.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.PostgresServer;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ceiling run against a real PostgreSQL: it commits sagas, and leaves no database behind. */
@Tag(RealInfrastructure.TAG)
class SagaTransactionCeilingTest {

    @Test
    void commitsWholeSagaMixesAndDropsItsScratchDatabase() throws Exception {
        PostgresServer postgres = TestInfrastructure.get().postgres();
        SagaTransactionCeiling ceiling = new SagaTransactionCeiling(postgres.host(), postgres.port(), postgres.adminUser(),
                postgres.adminPassword());

        double sagasPerSecond = ceiling.measure(2, Duration.ofSeconds(1));

        assertThat(sagasPerSecond).isPositive();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             ResultSet databases = connection.createStatement().executeQuery("select count(*) from pg_database where datname = 'bench_ceiling'")) {
            databases.next();
            assertThat(databases.getInt(1)).isZero();
        }
    }
}
