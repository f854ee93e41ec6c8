package dev.sagaplatform.simulator.broker;

import dev.sagaplatform.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One consumer group on the simulated broker, with one member (the simulated service). Per partition it keeps the
 * member's position (the next record it will be given) and the committed offset; a crash throws the positions back
 * to the committed offsets, so whatever was applied but not committed is delivered again, exactly as in Kafka.
 */
public final class ConsumerGroup {

    /** One partition of one topic the group reads. */
    private static final class Assignment {
        final String topic;
        final int partition;
        final List<Broker.Record> records;
        long position;
        long committed;

        Assignment(String topic, int partition, List<Broker.Record> records) {
            this.topic = topic;
            this.partition = partition;
            this.records = records;
        }
    }

    private final Broker broker;
    private final String name;
    private final List<Assignment> assignments = new ArrayList<>();
    private long moves;

    public ConsumerGroup(Broker broker, String name, Set<String> topics) {
        this.broker = broker;
        this.name = name;
        // Topics in their catalogue order, never a Set's hash order: the order partitions are offered in is a choice.
        for (String topic : Topics.ALL) {
            if (topics.contains(topic)) {
                for (int p = 0; p < Topics.PARTITIONS; p++) {
                    assignments.add(new Assignment(topic, p, broker.partition(topic, p)));
                }
            }
        }
    }

    public String name() {
        return name;
    }

    /** How many partitions have a record waiting for this group. */
    public int readyPartitions() {
        int ready = 0;
        for (Assignment a : assignments) {
            if (a.position < a.records.size()) {
                ready++;
            }
        }
        return ready;
    }

    /** The next record of the {@code index}-th ready partition (see {@link #readyPartitions()}), without taking it. */
    public Broker.Record peek(int index) {
        Assignment a = ready(index);
        return a.records.get((int) a.position);
    }

    /** The member is done with the record {@link #peek} gave: its position moves past it. */
    public void advance(Broker.Record record) {
        Assignment a = find(record.topic(), record.partition());
        if (a.position != record.offset()) {
            throw new IllegalStateException(name + " advances past " + record.offset() + " at position " + a.position);
        }
        a.position++;
        moves++;
    }

    /** Positions and commits so far: changes whenever the group's progress may have changed. */
    public long moves() {
        return moves;
    }

    /** Commits the position of the record's partition. */
    public void commit(Broker.Record record) {
        Assignment a = find(record.topic(), record.partition());
        a.committed = a.position;
        moves++;
    }

    /** Commits every position (the end of a polled batch). */
    public void commitAll() {
        assignments.forEach(a -> a.committed = a.position);
        moves++;
    }

    /** The member crashed: every uncommitted position is lost. */
    public void rewindToCommitted() {
        assignments.forEach(a -> a.position = a.committed);
        moves++;
    }

    /** Records published but not yet consumed and committed by this group. */
    public long lag() {
        long lag = 0;
        for (Assignment a : assignments) {
            lag += a.records.size() - a.committed;
        }
        return lag;
    }

    private Assignment ready(int index) {
        int seen = 0;
        for (Assignment a : assignments) {
            if (a.position < a.records.size() && seen++ == index) {
                return a;
            }
        }
        throw new IndexOutOfBoundsException(index);
    }

    private Assignment find(String topic, int partition) {
        for (Assignment a : assignments) {
            if (a.topic.equals(topic) && a.partition == partition) {
                return a;
            }
        }
        throw new IllegalArgumentException(name + " does not read " + topic + "-" + partition);
    }
}
