package dev.sagaplatform.relay;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.SmartLifecycle;

/** All sources of this relay, started and stopped with the application. */
public class OutboxRelay implements SmartLifecycle {

    private final List<SourceRelay> sources;
    private final KafkaPublisher publisher;
    private volatile boolean running;

    OutboxRelay(List<SourceRelay> sources, KafkaPublisher publisher) {
        this.sources = List.copyOf(sources);
        this.publisher = publisher;
    }

    @Override
    public void start() {
        sources.forEach(SourceRelay::start);
        running = true;
    }

    @Override
    public void stop() {
        sources.forEach(SourceRelay::stop);
        publisher.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Source name to its current state, in configuration order. */
    public Map<String, SourceState> states() {
        return sources.stream().collect(Collectors.toMap(s -> s.source().name(), SourceRelay::state,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** Source name to whether this instance is its ACTIVE relay (holds its election lock), in configuration order. */
    public Map<String, Boolean> roles() {
        return sources.stream().collect(Collectors.toMap(s -> s.source().name(), SourceRelay::active,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** The replication slot of a source, by source name. */
    String slotName(String source) {
        return sources.stream().filter(s -> s.source().name().equals(source)).findFirst()
                .map(s -> s.source().slotNameOrDefault()).orElse(source);
    }
}
