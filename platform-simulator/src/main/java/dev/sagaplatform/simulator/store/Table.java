package dev.sagaplatform.simulator.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A table of one {@link Database}, keyed by primary key, with JPA's semantics as the services' ports assume them:
 * a row read inside a transaction is that transaction's own copy; changes to it, and rows saved, are written when
 * the transaction commits. Iteration follows insertion order (a LinkedHashMap), never hash order, so that scans
 * are the same in every run.
 */
public final class Table<K, V> {

    private final Database database;
    private final String name;
    private final LinkedHashMap<K, V> committed = new LinkedHashMap<>();

    Table(Database database, String name) {
        this.database = database;
        this.name = name;
    }

    /** The row as this transaction sees it (its own copy), if any. */
    public Optional<V> find(K key) {
        Map<K, V> mine = database.current().rowsOf(this);
        if (mine.containsKey(key)) {
            return Optional.ofNullable(mine.get(key)); // null: deleted in this transaction
        }
        V stored = committed.get(key);
        if (stored == null) {
            return Optional.empty();
        }
        V copy = EntityCopier.copy(stored);
        mine.put(key, copy);
        return Optional.of(copy);
    }

    /** Inserts or replaces the row at commit. */
    public void save(K key, V value) {
        database.current().rowsOf(this).put(key, value);
    }

    /** Deletes the row at commit. */
    public void delete(K key) {
        database.current().rowsOf(this).put(key, null);
    }

    /** @return false (and writes nothing) if the key exists: a primary-key conflict */
    public boolean insert(K key, V value) {
        Map<K, V> mine = database.current().rowsOf(this);
        if (mine.containsKey(key) ? mine.get(key) != null : committed.containsKey(key)) {
            return false;
        }
        mine.put(key, value);
        return true;
    }

    /** The rows matching {@code filter} as this transaction sees them (its copies), in insertion order. */
    public List<V> scan(Predicate<V> filter) {
        Map<K, V> mine = database.current().rowsOf(this);
        List<V> found = new ArrayList<>();
        for (Map.Entry<K, V> entry : committed.entrySet()) {
            V seen = mine.containsKey(entry.getKey()) ? mine.get(entry.getKey()) : entry.getValue();
            if (seen != null && filter.test(seen)) {
                found.add(mine.containsKey(entry.getKey()) ? seen : find(entry.getKey()).orElseThrow());
            }
        }
        for (Map.Entry<K, V> entry : mine.entrySet()) {
            if (!committed.containsKey(entry.getKey()) && entry.getValue() != null && filter.test(entry.getValue())) {
                found.add(entry.getValue());
            }
        }
        return found;
    }

    /** The committed rows, for the checks between events; never changed through this view. */
    public Iterable<V> committedRows() {
        return committed.values();
    }

    public int size() {
        return committed.size();
    }

    void commit(Tx tx) {
        Map<Object, Object> written = tx.rows.get(this);
        if (written != null) {
            written.forEach((key, value) -> {
                if (value == null) {
                    committed.remove(cast(key));
                } else {
                    committed.put(cast(key), castValue(value));
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private K cast(Object key) {
        return (K) key;
    }

    @SuppressWarnings("unchecked")
    private V castValue(Object value) {
        return (V) value;
    }

    @Override
    public String toString() {
        return database.service() + "." + name;
    }
}
