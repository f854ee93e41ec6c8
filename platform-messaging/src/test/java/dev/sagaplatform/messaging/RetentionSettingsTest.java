package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Inbox rows must outlive outbox rows: a relay that re-snapshots the outbox (lost slot) republishes every row still
 * there, and only an inbox row still present turns such a copy into a no-op. The invariant check's applied-once rule
 * (an effect's cause must be in the inbox) relies on the same order.
 */
class RetentionSettingsTest {

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void inboxRowsKeptShorterThanOutboxRowsAreRefusedAtStartUp() {
        var retention = new MessagingProperties.Retention(true, Duration.ofDays(7), Duration.ofDays(3), Duration.ofHours(1), 5000);

        assertThat(validator.validate(retention)).extracting(v -> v.getMessage())
                .containsExactly("platform.messaging.retention.processed-messages must be at least retention.outbox:"
                        + " an outbox row republished by a relay re-snapshot must still find its inbox row");
    }

    @Test
    void theDefaultsAndEqualDurationsAreFine() {
        assertThat(validator.validate(new MessagingProperties.Retention(true, Duration.ofDays(7), Duration.ofDays(14),
                Duration.ofHours(1), 5000))).isEmpty();
        assertThat(validator.validate(new MessagingProperties.Retention(true, Duration.ofDays(7), Duration.ofDays(7),
                Duration.ofHours(1), 5000))).isEmpty();
    }
}
