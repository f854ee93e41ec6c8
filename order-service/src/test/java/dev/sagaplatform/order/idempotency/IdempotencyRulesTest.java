package dev.sagaplatform.order.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.order.idempotency.IdempotencyKeyRecord.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The key's decisions without a database: the boundaries of expiry and of the lock timeout. */
class IdempotencyRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final IdempotencyRules rules = new IdempotencyRules(
            new IdempotencyProperties(Duration.ofHours(24), Duration.ofSeconds(30), Duration.ofHours(1), 1000));
    private final UUID token = UUID.randomUUID();
    private final StoredResponse response = new StoredResponse(202, "{}", UUID.randomUUID());

    @Test
    void aFreeKeyIsClaimedForTheRetention() {
        assertThat(rules.mayClaim(Optional.empty(), NOW)).isTrue();
        IdempotencyKeyRecord claim = rules.newClaim("k", "f", token, NOW);
        assertThat(claim.state()).isEqualTo(State.IN_PROGRESS);
        assertThat(claim.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void aLiveClaimIsRespectedUntilTheLockTimeoutWhateverItsRequest() {
        assertThat(rules.mayClaim(Optional.of(inProgress(NOW.minusSeconds(29), "other")), NOW)).isFalse();
        assertThat(rules.mayClaim(Optional.of(inProgress(NOW.minusSeconds(30), "other")), NOW)).isTrue();
    }

    @Test
    void aCompletedKeyIsTakenOverOnlyOnceExpired() {
        IdempotencyKeyRecord completed = IdempotencyRules.completed(inProgress(NOW.minus(Duration.ofHours(2)), "f"), response);
        assertThat(rules.mayClaim(Optional.of(completed), NOW)).isFalse();
        assertThat(rules.mayClaim(Optional.of(completed), completed.expiresAt())).isTrue();
    }

    @Test
    void anUnclaimableKeyStandsForItsAnswerItsRequestInProgressOrAnotherRequest() {
        IdempotencyKeyRecord completed = IdempotencyRules.completed(inProgress(NOW, "f"), response);
        assertThat(IdempotencyRules.standsFor(completed, "f")).isEqualTo(new Claim.Completed(response));
        assertThat(IdempotencyRules.standsFor(inProgress(NOW, "f"), "f")).isEqualTo(new Claim.InProgress());
        assertThat(IdempotencyRules.standsFor(completed, "g")).isEqualTo(new Claim.FingerprintMismatch());
        assertThat(IdempotencyRules.standsFor(inProgress(NOW, "f"), "g")).isEqualTo(new Claim.FingerprintMismatch());
    }

    @Test
    void onlyTheHolderOfALiveClaimCompletesOrReleasesIt() {
        IdempotencyKeyRecord claimed = inProgress(NOW, "f");
        IdempotencyKeyRecord completed = IdempotencyRules.completed(claimed, response);
        assertThat(IdempotencyRules.mayComplete(Optional.of(claimed), token)).isTrue();
        assertThat(IdempotencyRules.mayComplete(Optional.of(claimed), UUID.randomUUID())).isFalse();
        assertThat(IdempotencyRules.mayComplete(Optional.of(completed), token)).isFalse();
        assertThat(IdempotencyRules.mayComplete(Optional.empty(), token)).isFalse();
        assertThat(IdempotencyRules.mayRelease(Optional.of(claimed), token)).isTrue();
        assertThat(IdempotencyRules.mayRelease(Optional.of(completed), token)).isFalse();
        assertThat(IdempotencyRules.mayRelease(Optional.empty(), token)).isFalse();
    }

    private IdempotencyKeyRecord inProgress(Instant createdAt, String fingerprint) {
        return rules.newClaim("k", fingerprint, token, createdAt);
    }
}
