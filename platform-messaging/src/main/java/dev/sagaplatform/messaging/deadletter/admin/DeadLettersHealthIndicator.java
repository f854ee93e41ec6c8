package dev.sagaplatform.messaging.deadletter.admin;

import dev.sagaplatform.messaging.deadletter.DeadLetterTally;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health component {@code deadLetters}: what this instance dead-lettered since it started, in total and per original
 * topic, and the last one (where it is on its dead-letter topic, when, why). Always UP: a dead letter is one message this
 * service could not apply, not a reason to restart or unroute it, and it is in no probe group. Operators are told by
 * the {@code MessagesDeadLettered} alert ({@code messaging_dead_letters_total}) and act through
 * {@code /admin/dead-letters}.
 */
class DeadLettersHealthIndicator extends AbstractHealthIndicator {

    private final DeadLetterTally tally;

    DeadLettersHealthIndicator(DeadLetterTally tally) {
        this.tally = tally;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        DeadLetterTally.Snapshot snapshot = tally.snapshot();
        builder.up()
                .withDetail("since", snapshot.since().toString())
                .withDetail("total", snapshot.total())
                .withDetail("byTopic", snapshot.byTopic());
        if (snapshot.last() != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("record", snapshot.last().record());
            last.put("originalTopic", snapshot.last().originalTopic());
            last.put("at", snapshot.last().at().toString());
            last.put("error", String.valueOf(snapshot.last().error()));
            builder.withDetail("last", last);
        }
    }
}
