package dev.sagaplatform.messaging.time;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database server's clock ({@code clock_timestamp()}), for every decision taken by time across JVMs: when an
 * idempotency key's claim may be taken over, when a saga's step deadline has passed, what counts as old enough
 * for retention. Each JVM's own clock drifts and can be set wrong; two instances of a service that disagree by
 * a minute would take over each other's live claims or time sagas out early. The database is the one clock
 * every instance shares, at the price of one query per reading.
 */
public final class DatabaseClock extends Clock {

    private final JdbcClient jdbc;
    private final ZoneId zone;

    public DatabaseClock(JdbcClient jdbc) {
        this(jdbc, ZoneOffset.UTC);
    }

    private DatabaseClock(JdbcClient jdbc, ZoneId zone) {
        this.jdbc = jdbc;
        this.zone = zone;
    }

    @Override
    public Instant instant() {
        return jdbc.sql("select clock_timestamp()").query(OffsetDateTime.class).single().toInstant();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new DatabaseClock(jdbc, newZone);
    }
}
