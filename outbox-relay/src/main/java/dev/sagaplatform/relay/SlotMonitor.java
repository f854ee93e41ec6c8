package dev.sagaplatform.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each source's replication slot on a schedule, because a slot is where a stuck relay costs disk:
 * PostgreSQL keeps every WAL segment the slot has not confirmed, up to {@code max_slot_wal_keep_size},
 * and then invalidates the slot. Exported per source as {@code relay_slot_retained_wal_bytes},
 * {@code relay_slot_confirmed_lag_bytes} and {@code relay_slot_lost} (1 once PostgreSQL invalidated it),
 * and read by the health indicator.
 */
final class SlotMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlotMonitor.class);

    /** One reading of a slot; {@code walStatus} is PostgreSQL's ({@code reserved}, {@code extended}, {@code unreserved}, {@code lost}). */
    record SlotReading(boolean exists, String walStatus, long retainedWalBytes, long confirmedLagBytes, Instant at, String error) {

        boolean lost() {
            return "lost".equals(walStatus);
        }
    }

    private final Map<String, RelayProperties.Source> sources;
    private final Map<String, SlotReading> readings = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "relay-slot-monitor");
        thread.setDaemon(true);
        return thread;
    });

    SlotMonitor(Iterable<RelayProperties.Source> sources, MeterRegistry meters) {
        Map<String, RelayProperties.Source> byName = new java.util.LinkedHashMap<>();
        sources.forEach(source -> byName.put(source.name(), source));
        this.sources = byName;
        byName.keySet().forEach(name -> {
            Gauge.builder("relay.slot.retained.wal", this, m -> m.value(name, SlotReading::retainedWalBytes)).tag("source", name)
                    .baseUnit("bytes").description("WAL PostgreSQL keeps for the source's replication slot").register(meters);
            Gauge.builder("relay.slot.confirmed.lag", this, m -> m.value(name, SlotReading::confirmedLagBytes)).tag("source", name)
                    .baseUnit("bytes").description("WAL written since the relay last confirmed a position").register(meters);
            Gauge.builder("relay.slot.lost", this, m -> m.reading(name).lost() ? 1 : 0).tag("source", name)
                    .description("1 once PostgreSQL invalidated the slot (it kept more than max_slot_wal_keep_size)").register(meters);
        });
    }

    void start(java.time.Duration interval) {
        scheduler.scheduleWithFixedDelay(this::readAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    SlotReading reading(String source) {
        return readings.getOrDefault(source, new SlotReading(false, null, 0, 0, null, "not read yet"));
    }

    private double value(String source, java.util.function.ToLongFunction<SlotReading> field) {
        SlotReading reading = reading(source);
        return reading.exists() ? field.applyAsLong(reading) : Double.NaN;
    }

    void readAll() {
        sources.values().forEach(source -> readings.put(source.name(), read(source)));
    }

    static SlotReading read(RelayProperties.Source source) {
        Properties properties = new Properties();
        properties.setProperty("user", source.username());
        if (source.password() != null) {
            properties.setProperty("password", source.password());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        try (Connection connection = DriverManager.getConnection(source.jdbcUrl(), properties);
             PreparedStatement statement = connection.prepareStatement("""
                     select wal_status,
                            coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint,
                            coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint
                       from pg_replication_slots where slot_name = ?""")) {
            statement.setString(1, source.slotNameOrDefault());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return new SlotReading(false, null, 0, 0, Instant.now(), null);
                }
                return new SlotReading(true, row.getString(1), row.getLong(2), row.getLong(3), Instant.now(), null);
            }
        }
        catch (SQLException ex) {
            log.debug("cannot read the slot of source '{}'", source.name(), ex);
            return new SlotReading(false, null, 0, 0, Instant.now(), ex.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
