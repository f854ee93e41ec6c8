package dev.sagaplatform.simulator.store;

import dev.sagaplatform.contracts.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One service's database: its tables, its outbox and its inbox, changed only by transactions that commit. A
 * transaction runs inside one simulated event (one thread, so transactions never interleave); a crash inside it
 * ({@link SimulatedCrash} from any port call) rolls it back as PostgreSQL would when the process dies.
 */
public final class Database {

    /** A committed outbox row: what the relay reads, in commit order. */
    public record OutboxRow(long position, UUID id, Message message, UUID causationId, Instant createdAt) {
    }

    private final String service;
    private final List<Table<?, ?>> tables = new ArrayList<>();
    private final List<OutboxRow> outbox = new ArrayList<>();
    private final Set<String> inbox = new LinkedHashSet<>();
    private final Set<UUID> processedIds = new LinkedHashSet<>();
    private final List<Runnable> outboxListeners = new ArrayList<>();
    private Tx current;
    private long commits;

    public Database(String service) {
        this.service = service;
    }

    public String service() {
        return service;
    }

    /** How many transactions have committed: a check of this database's rows need not run again until it changes. */
    public long commits() {
        return commits;
    }

    public <K, V> Table<K, V> table(String name) {
        Table<K, V> table = new Table<>(this, name);
        tables.add(table);
        return table;
    }

    /** Runs {@code work} in a new transaction: commits if it returns, rolls back (and rethrows) if it throws. */
    public <T> T inTransaction(Supplier<T> work) {
        if (current != null) {
            throw new IllegalStateException(service + " already has a transaction open");
        }
        current = new Tx();
        try {
            T result = work.get();
            commit();
            return result;
        } finally {
            current = null;
        }
    }

    public void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    Tx current() {
        if (current == null) {
            throw new IllegalStateException(service + ": a store was used outside a transaction");
        }
        return current;
    }

    public boolean inTransaction() {
        return current != null;
    }

    private void commit() {
        commits++;
        for (Table<?, ?> table : tables) {
            table.commit(current);
        }
        for (Tx.Appended appended : current.outbox) {
            outbox.add(new OutboxRow(outbox.size(), appended.id(), appended.message(), appended.causationId(), appended.at()));
        }
        inbox.addAll(current.inbox);
        processedIds.addAll(current.processedIds);
        if (!current.outbox.isEmpty()) {
            outboxListeners.forEach(Runnable::run);
        }
    }

    /** {@code listener} runs after every commit that appended to the outbox (the relay wakes up). */
    public void onOutboxCommit(Runnable listener) {
        outboxListeners.add(listener);
    }

    // --- outbox and inbox, used by the in-memory Outbox and Inbox adapters ---------------------------------------

    void append(UUID id, Message message, UUID causationId, Instant at) {
        current().outbox.add(new Tx.Appended(id, message, causationId, at));
    }

    boolean markProcessed(String consumer, UUID messageId) {
        String key = consumer + "/" + messageId;
        if (inbox.contains(key) || !current().inbox.add(key)) {
            return false;
        }
        current().processedIds.add(messageId);
        return true;
    }

    /** Ids of the messages this database's inbox recorded as applied. */
    public Set<UUID> processedIds() {
        return processedIds;
    }

    public List<OutboxRow> outbox() {
        return outbox;
    }
}
