package dev.sagaplatform.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@RealInfrastructure
class RealInfrastructureExtensionTest {

    private static DatabaseHandle fromBeforeAll;

    @BeforeAll
    static void rememberDatabase(DatabaseHandle database) {
        fromBeforeAll = database;
    }

    @Test
    void injectsTheClassDatabase(DatabaseHandle database, TestInfrastructure infrastructure, PostgresServer postgres) throws Exception {
        assertThat(database).isSameAs(fromBeforeAll).isSameAs(infrastructure.databaseFor(RealInfrastructureExtensionTest.class));
        assertThat(database.name()).startsWith("real_infrastructure_extension_test_");
        assertThat(postgres).isSameAs(infrastructure.postgres());
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(database.name());
        }
    }

    @Nested
    class NestedTests {

        @Test
        void shareTheEnclosingClassDatabase(DatabaseHandle database) {
            assertThat(database).isSameAs(fromBeforeAll);
        }
    }
}
