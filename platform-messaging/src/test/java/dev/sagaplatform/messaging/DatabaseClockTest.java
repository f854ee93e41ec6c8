package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.time.DatabaseClock;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every service that decides by time reads the database's clock, the one all its instances share. */
@SpringBootTest
@RealInfrastructure
class DatabaseClockTest {

    @Autowired
    Clock clock;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theServicesClockIsTheDatabaseServersClock() {
        assertThat(clock).isInstanceOf(DatabaseClock.class);
        Instant before = jdbc.sql("select clock_timestamp()").query(OffsetDateTime.class).single().toInstant();
        Instant reading = clock.instant();
        Instant after = jdbc.sql("select clock_timestamp()").query(OffsetDateTime.class).single().toInstant();
        assertThat(reading).isBetween(before, after);
        assertThat(Duration.between(before, after)).isLessThan(Duration.ofSeconds(30));
    }
}
