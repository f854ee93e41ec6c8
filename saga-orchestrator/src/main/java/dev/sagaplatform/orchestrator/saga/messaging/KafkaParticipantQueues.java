package dev.sagaplatform.orchestrator.saga.messaging;

import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.orchestrator.saga.OrchestratorProperties;
import dev.sagaplatform.orchestrator.saga.ParticipantQueues;
import dev.sagaplatform.orchestrator.saga.domain.ParticipantBacklog;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads each participant's consumer-group lag from Kafka once per {@code sample-interval}, in the
 * background, so that a deadline can be judged at once: {@code queued} is the group's lag over every
 * partition it consumes, and {@code consuming} means its committed offsets moved within the last
 * {@value #SAMPLES_OF_PROGRESS} samples (a listener container commits after each polled batch, so a
 * busy participant may go a few seconds between commits). Two admin calls per participant per sample;
 * nothing on the message path.
 *
 * <p>When Kafka cannot be asked, the backlog is {@link ParticipantBacklog#unknown()}: the deadline then
 * holds as configured, exactly as without this class.
 */
@Component
class KafkaParticipantQueues implements ParticipantQueues, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaParticipantQueues.class);

    static final int SAMPLES_OF_PROGRESS = 5;

    /** One reading of a group: messages not yet consumed, the sum of its committed offsets, samples since it last moved. */
    private record Sample(long lag, long committed, long takenAtNanos, int samplesSinceMove) {

        boolean consuming() {
            return samplesSinceMove < SAMPLES_OF_PROGRESS;
        }
    }

    private final Map<String, String> groupByTopic;
    private final Map<String, Object> adminConfig;
    private final Duration interval;
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private ScheduledExecutorService sampler;
    private Admin admin;
    private volatile boolean warned;

    KafkaParticipantQueues(KafkaProperties kafka, OrchestratorProperties properties) {
        OrchestratorProperties.Participants participants = properties.participants();
        this.groupByTopic = Map.of(Topics.PAYMENT_COMMANDS, participants.paymentCommands(),
                Topics.INVENTORY_COMMANDS, participants.inventoryCommands(),
                Topics.ORDER_COMMANDS, participants.orderCommands());
        this.interval = participants.sampleInterval();
        this.adminConfig = new HashMap<>(kafka.buildAdminProperties());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "saga-orchestrator-participant-queues");
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(2000, interval.toMillis() * 3));
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, interval.toMillis() * 2));
    }

    @Override
    public ParticipantBacklog backlogOf(String commandType, Duration waitedSoFar) {
        Optional<String> group = groupOf(commandType);
        Sample sample = group.map(samples::get).orElse(null);
        // A sample older than three intervals says nothing about now (the sampler is failing).
        if (sample == null || System.nanoTime() - sample.takenAtNanos() > interval.toNanos() * 3) {
            return ParticipantBacklog.unknown();
        }
        return new ParticipantBacklog(sample.lag(), sample.consuming(), waitedSoFar);
    }

    private Optional<String> groupOf(String commandType) {
        return MessageCatalog.all().stream()
                .filter(type -> type.name().equals(commandType))
                .map(MessageType::aggregateType)
                .map(Topics::topicFor)
                .map(groupByTopic::get)
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    void sampleOnce() {
        for (String group : List.copyOf(new java.util.LinkedHashSet<>(groupByTopic.values()))) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
                committed.values().removeIf(java.util.Objects::isNull);
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())))
                        .all().get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
                long committedSum = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                long lag = committed.entrySet().stream()
                        .mapToLong(entry -> Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset())).sum();
                Sample previous = samples.get(group);
                int sinceMove = previous == null ? SAMPLES_OF_PROGRESS
                        : committedSum > previous.committed() ? 0 : Math.min(SAMPLES_OF_PROGRESS, previous.samplesSinceMove() + 1);
                samples.put(group, new Sample(lag, committedSum, System.nanoTime(), sinceMove));
                warned = false;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (!warned) {
                    log.warn("cannot read the consumer lag of {} (step deadlines then hold as configured): {}", group, e.toString());
                    warned = true;
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        if (sampler != null) {
            return;
        }
        admin = Admin.create(adminConfig);
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "participant-queues");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sampleOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sampler != null;
    }
}
