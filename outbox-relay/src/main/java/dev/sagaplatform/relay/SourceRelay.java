package dev.sagaplatform.relay;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.relay.SourcePreflight.MisconfiguredSourceException;
import dev.sagaplatform.relay.SourcePreflight.SourceUnavailableException;
import dev.sagaplatform.relay.SourceState.Status;
import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one source database: runs a Debezium PostgreSQL connector on its outbox and publishes each
 * batch before committing the batch's position. Supervises the engine: transient faults restart it
 * with exponential backoff, misconfiguration is reported once and re-checked slowly, so the relay
 * never crash-loops and one broken source never stops the others.
 */
final class SourceRelay implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(SourceRelay.class);

    private final RelayProperties.Source source;
    private final RelayProperties settings;
    private final OutboxRowMapper mapper;
    private final KafkaPublisher publisher;
    private final RelayMetrics metrics;
    private final PublishTracing tracing;

    private volatile SourceState state = SourceState.of(Status.STOPPED, null);
    private volatile boolean stopping;
    private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private volatile Thread supervisor;
    /** The election: only the instance holding it runs this source's engine. */
    private final SourceLeaderLock lock;
    /** True while this instance holds the source's lock and may run its engine. */
    private volatile boolean active;
    /** Set when the lock was lost while the engine ran: nothing more may be published. */
    private volatile boolean fenced;

    SourceRelay(RelayProperties.Source source, RelayProperties settings, OutboxRowMapper mapper,
                KafkaPublisher publisher, RelayMetrics metrics) {
        this(source, settings, mapper, publisher, metrics, PublishTracing.none());
    }

    SourceRelay(RelayProperties.Source source, RelayProperties settings, OutboxRowMapper mapper,
                KafkaPublisher publisher, RelayMetrics metrics, PublishTracing tracing) {
        this.source = source;
        this.settings = settings;
        this.mapper = mapper;
        this.publisher = publisher;
        this.metrics = metrics;
        this.tracing = tracing;
        this.lock = new SourceLeaderLock(source, settings.election().instanceIdOrDefault());
    }

    RelayProperties.Source source() {
        return source;
    }

    SourceState state() {
        return state;
    }

    /** Whether this instance holds the source's election lock (ACTIVE) or waits for it (STANDBY). */
    boolean active() {
        return active;
    }

    synchronized void start() {
        stopping = false;
        supervisor = new Thread(this::supervise, "relay-" + source.name());
        supervisor.start();
    }

    synchronized void stop() {
        stopping = true;
        closeEngine();
        Thread thread = supervisor;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.close();
        active = false;
        transition(Status.STOPPED, null);
    }

    private void supervise() {
        long backoff = settings.retryInitialInterval().toMillis();
        while (!stopping) {
            try {
                SourcePreflight.check(source, settings.slotFailover());
                if (!awaitLeadership()) {
                    break;
                }
                transition(Status.STARTING, null);
                fenced = false;
                DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> current = DebeziumEngine.create(Connect.class)
                        .using(connectorProperties())
                        .notifying(this)
                        .using(new DebeziumEngine.ConnectorCallback() {
                            @Override
                            public void taskStarted() {
                                transition(Status.RUNNING, null);
                            }
                        })
                        .using((success, message, error) -> {
                            if (!stopping && !success) {
                                transition(Status.RETRYING, "connector stopped: " + message
                                        + (error == null ? "" : " (" + rootCause(error) + ")"));
                            }
                        })
                        .build();
                engine = current;
                long startedAt = System.currentTimeMillis();
                Thread watcher = watchLeadership();
                try {
                    // Run the local: the watcher may close the engine (and clear the field) while it runs.
                    current.run();
                } finally {
                    watcher.interrupt();
                }
                closeEngine();
                if (fenced) {
                    // Lost the lock: the engine is stopped. Sit out two election rounds before competing again, so that a
                    // standby that is polling takes over rather than this instance, whose connection just proved unreliable.
                    lock.close();
                    fenced = false;
                    // RETRYING, not STANDBY: nobody may hold the lock yet (a lone relay cut off from its database, say).
                    // The election below shows STANDBY once it sees another instance holding it.
                    transition(Status.RETRYING, "lost the election lock (its session with the database ended): stopped publishing;"
                            + " competing for the lock again");
                    try {
                        Thread.sleep(2 * settings.election().pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        break;
                    }
                    continue;
                }
                if (System.currentTimeMillis() - startedAt > settings.retryMaxInterval().toMillis()) {
                    backoff = settings.retryInitialInterval().toMillis(); // it ran fine for a while
                }
                if (!stopping && state.status() != Status.RETRYING) {
                    transition(Status.RETRYING, "connector stopped unexpectedly");
                }
            } catch (MisconfiguredSourceException e) {
                transition(Status.FAILED, e.getMessage());
                backoff = settings.retryMaxInterval().toMillis();
            } catch (SourceUnavailableException e) {
                transition(Status.RETRYING, e.getMessage());
            } catch (RuntimeException e) {
                transition(Status.RETRYING, "connector failed: " + rootCause(e));
            }
            if (stopping) {
                break;
            }
            if (!lock.held()) {
                active = false; // the lock's connection broke with the database: whoever takes it next is active
            }
            try {
                Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(settings.retryMaxInterval().toMillis(), backoff * 2);
        }
        lock.close();
        active = false;
    }

    /**
     * Blocks until this instance holds the source's election lock (at once when no other instance does), polling every
     * {@code relay.election.poll-interval} meanwhile as a STANDBY.
     *
     * @return false when the relay is stopping
     * @throws SourceUnavailableException when the database cannot be reached for the lock
     */
    private boolean awaitLeadership() {
        boolean waited = false;
        while (!stopping) {
            boolean acquired;
            try {
                acquired = lock.tryAcquire();
            } catch (java.sql.SQLException e) {
                active = false;
                throw new SourceUnavailableException(source, "cannot reach " + source.host() + ":" + source.port()
                        + " for the election lock (" + e.getMessage() + "): retrying with backoff");
            }
            if (acquired) {
                active = true;
                if (waited) {
                    log.info("source '{}': this instance holds the election lock now and takes over as ACTIVE", source.name());
                }
                return true;
            }
            active = false;
            waited = true;
            String holder = lock.holder();
            transition(Status.STANDBY, "another relay instance is ACTIVE for this source" + (holder == null ? "" : " (" + holder + ")")
                    + ": taking over when its lock is released");
            try {
                Thread.sleep(settings.election().pollInterval().toMillis());
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * While the engine runs, checks every {@code relay.election.poll-interval} that PostgreSQL still grants this session the
     * lock; if not (connection lost, database restarted), fences at once: no further batch is published and the engine is
     * stopped, so a standby that takes the lock is the only one publishing.
     */
    private Thread watchLeadership() {
        Thread watcher = new Thread(() -> {
            while (!stopping) {
                try {
                    Thread.sleep(settings.election().pollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (stopping || Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (!lock.stillHeld()) {
                    fenced = true;
                    active = false;
                    log.error("source '{}': lost the election lock; stopping its engine at once (fencing)", source.name());
                    closeEngine();
                    return;
                }
            }
        }, "relay-" + source.name() + "-election");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }

    @Override
    public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> events,
                            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
            throws InterruptedException {
        if (fenced) {
            throw new InterruptedException("source '" + source.name() + "' lost its election lock: not publishing");
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        long[] commitTimes = new long[events.size()];
        for (ChangeEvent<SourceRecord, SourceRecord> event : events) {
            OutboxRowMapper.MappedEvent mapped = mapper.map(event.value());
            if (mapped != null) {
                commitTimes[records.size()] = mapped.commitEpochMillis();
                records.add(mapped.record());
            }
        }
        if (!records.isEmpty()) {
            var spans = tracing.start(source.name(), records);
            publisher.publishAll(records, (attempt, cause) -> {
                metrics.retried();
                transition(Status.RETRYING, "Kafka did not acknowledge (attempt " + attempt + "): " + cause);
            });
            PublishTracing.end(spans);
            long ackedAt = System.currentTimeMillis();
            for (int i = 0; i < records.size(); i++) {
                metrics.published(commitTimes[i], ackedAt);
            }
            if (state.status() != Status.RUNNING) {
                transition(Status.RUNNING, null);
            }
            crashIfTestingAskedFor(records);
        }
        // Only now, with every record acknowledged, may the batch's source position be committed.
        for (ChangeEvent<SourceRecord, SourceRecord> event : events) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** {@code relay.testing.crash-after-publishing}: the one crash point an end-to-end test cannot hit with a signal. */
    private void crashIfTestingAskedFor(List<ProducerRecord<byte[], byte[]>> published) {
        String type = settings.testing().crashAfterPublishing();
        if (type.isEmpty() || published.stream().noneMatch(r -> type.equals(header(r, Headers.EVENT_TYPE)))) {
            return;
        }
        log.error("relay.testing.crash-after-publishing={}: halting after Kafka acknowledged {} record(s) of source {}, "
                        + "before committing their position; published event ids: {}", type, published.size(), source.name(),
                published.stream().map(r -> header(r, Headers.EVENT_ID)).toList());
        Runtime.getRuntime().halt(137);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private Properties connectorProperties() {
        Properties p = new Properties();
        p.setProperty("name", "outbox-relay-" + source.name());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("topic.prefix", "outbox-relay-" + source.name());
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", String.valueOf(source.port()));
        p.setProperty("database.user", source.username());
        p.setProperty("database.password", source.password() == null ? "" : source.password());
        p.setProperty("database.dbname", source.database());
        p.setProperty("slot.name", source.slotNameOrDefault());
        if (settings.slotFailover()) {
            // Debezium creates the slot with FAILOVER true; PostgreSQL then synchronizes it to standbys that ask for it.
            p.setProperty("slot.failover", "true");
        }
        p.setProperty("publication.name", source.publication());
        // The service's migration owns the publication, so the relay needs no ownership of its tables.
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", "public.outbox,public.relay_heartbeat");
        // Rows committed before the slot existed are read by a snapshot consistent with the slot's
        // start, and again if the slot was ever lost: duplicates are possible, losses are not.
        p.setProperty("snapshot.mode", "when_needed");
        p.setProperty("skipped.operations", "u,d,t");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", String.valueOf(settings.pollInterval().toMillis()));
        p.setProperty("max.batch.size", String.valueOf(settings.maxBatchSize()));
        p.setProperty("max.queue.size", String.valueOf(settings.maxBatchSize() * 4));
        // A write to this database keeps its slot's position moving while its outbox is idle, even when
        // other databases on the same server fill the WAL.
        p.setProperty("heartbeat.interval.ms", String.valueOf(settings.heartbeatInterval().toMillis()));
        p.setProperty("heartbeat.action.query", "insert into relay_heartbeat (id, beat_at) values (1, now()) "
                + "on conflict (id) do update set beat_at = excluded.beat_at");
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", source.jdbcUrl());
        p.setProperty("offset.storage.jdbc.connection.user", source.username());
        p.setProperty("offset.storage.jdbc.connection.password", source.password() == null ? "" : source.password());
        p.setProperty("offset.storage.jdbc.table.name", "relay_offsets");
        p.setProperty("offset.flush.interval.ms", String.valueOf(settings.offsetFlushInterval().toMillis()));
        // Failures end the engine and the supervisor restarts it, so health shows what is happening.
        p.setProperty("errors.max.retries", "0");
        p.setProperty("extended.headers.enabled", "false");
        return p;
    }

    private void transition(Status status, String detail) {
        SourceState previous = state;
        if (previous.status() == status && java.util.Objects.equals(previous.detail(), detail)) {
            return;
        }
        state = SourceState.of(status, detail);
        switch (status) {
            case FAILED -> log.error("source '{}' FAILED: {}", source.name(), detail);
            case RETRYING -> log.warn("source '{}' RETRYING: {}", source.name(), detail);
            default -> log.info("source '{}' {}", source.name(), status);
        }
    }

    private void closeEngine() {
        DebeziumEngine<?> current = engine;
        engine = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing the engine of source '{}' failed", source.name(), e);
            }
        }
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
