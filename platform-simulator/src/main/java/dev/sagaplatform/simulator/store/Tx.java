package dev.sagaplatform.simulator.store;

import dev.sagaplatform.contracts.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What one open transaction has read for update, written, appended and marked; all of it or nothing commits. */
final class Tx {

    record Appended(UUID id, Message message, UUID causationId, Instant at) {
    }

    /** Per table: the rows this transaction holds (read copies and writes), written back at commit like JPA's flush. */
    final Map<Table<?, ?>, LinkedHashMap<Object, Object>> rows = new IdentityHashMap<>(4);
    final List<Appended> outbox = new ArrayList<>();
    final Set<String> inbox = new LinkedHashSet<>();
    final Set<UUID> processedIds = new LinkedHashSet<>();

    @SuppressWarnings("unchecked")
    <K, V> LinkedHashMap<K, V> rowsOf(Table<K, V> table) {
        return (LinkedHashMap<K, V>) (LinkedHashMap<?, ?>) rows.computeIfAbsent(table, t -> new LinkedHashMap<>());
    }
}
