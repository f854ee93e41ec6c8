package dev.sagaplatform.relay;

import dev.sagaplatform.contracts.Topics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code relay.*}: the source databases whose outbox the relay publishes, topic routing and timing.
 * Validated at start-up so that a typo fails fast with the property's name.
 *
 * <p>{@code relay.slot-failover} (default false): create each replication slot as a failover slot (PostgreSQL 17's
 * {@code failover = true}, Debezium's {@code slot.failover}), so that a cluster that synchronizes slots to its
 * standbys (the production overlay's CloudNativePG cluster) has the relay's slot, at a position it holds the WAL for, on
 * the standby it promotes. Needs PostgreSQL 17; the relay refuses the source at start-up on an older server.
 */
@Validated
@ConfigurationProperties("relay")
public record RelayProperties(
        @NotEmpty(message = "relay.sources must list at least one source database") List<@Valid Source> sources,
        Map<String, String> routes,
        @NotNull @DefaultValue("10ms") Duration pollInterval,
        @NotNull @DefaultValue("10s") Duration heartbeatInterval,
        @NotNull @DefaultValue("1s") Duration offsetFlushInterval,
        @Min(1) @Max(65_536) @DefaultValue("2048") int maxBatchSize,
        @NotNull @DefaultValue("500ms") Duration retryInitialInterval,
        @NotNull @DefaultValue("30s") Duration retryMaxInterval,
        @Valid @NotNull @DefaultValue Health health,
        @Valid @NotNull @DefaultValue Election election,
        @Valid @NotNull @DefaultValue Testing testing,
        @DefaultValue("false") boolean slotFailover) {

    /**
     * {@code relay.health.*}: when a source counts as stuck. Its replication slot keeps WAL for it meanwhile,
     * so these are set well inside PostgreSQL's {@code max_slot_wal_keep_size} (1 GB on this platform).
     *
     * @param slotCheckInterval how often each source's replication slot is read
     * @param stuckAfter        a source retrying (or failed) this long makes the relay DOWN
     * @param maxRetainedWalBytes a slot holding more WAL than this makes the relay DOWN (default 512 MB)
     */
    public record Health(@NotNull @DefaultValue("10s") Duration slotCheckInterval,
                         @NotNull @DefaultValue("2m") Duration stuckAfter,
                         @Min(1) @DefaultValue("536870912") long maxRetainedWalBytes) {
    }

    /**
     * {@code relay.election.*}: several relay instances may run on the same sources; per source, the one holding a
     * PostgreSQL advisory lock in the source database is ACTIVE and the others stand by ({@link SourceLeaderLock}).
     *
     * @param pollInterval how often a standby tries to take the lock, and how often the active one checks it still holds it:
     *                     a killed active is replaced within about this long plus the engine's start
     * @param instanceId   how this instance names itself to PostgreSQL ({@code application_name} of the lock's session, shown
     *                     by a standby's health); empty: {@code outbox-relay-lock <host name>/<pid>}
     */
    public record Election(@NotNull @DefaultValue("1s") Duration pollInterval,
                           @DefaultValue("") String instanceId) {

        public String instanceIdOrDefault() {
            if (instanceId != null && !instanceId.isBlank()) {
                return instanceId;
            }
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
            return host + "/" + ProcessHandle.current().pid();
        }
    }

    /**
     * {@code relay.testing.*}: fault points for end-to-end tests, all off by default. Never set in production.
     *
     * @param crashAfterPublishing a message type: the relay halts at once (exit code 137, no shutdown hooks, as a
     *                             SIGKILL would) right after Kafka acknowledged the first batch that contains a message
     *                             of this type and before that batch's source position is committed; on restart the
     *                             batch is published again. Empty: off.
     */
    public record Testing(@DefaultValue("") String crashAfterPublishing) {
    }

    /** Routes from {@link Topics#DEFAULT_ROUTES}, overridden or extended by {@code relay.routes}. */
    public Map<String, String> effectiveRoutes() {
        Map<String, String> merged = new HashMap<>(Topics.DEFAULT_ROUTES);
        if (routes != null) {
            merged.putAll(routes);
        }
        return Map.copyOf(merged);
    }

    @AssertTrue(message = "relay.sources names must be unique")
    public boolean isSourceNamesUnique() {
        return sources == null || sources.stream().map(Source::name).collect(java.util.stream.Collectors.toSet()).size() == sources.size();
    }

    @AssertTrue(message = "relay.sources slot names must be unique: PostgreSQL slot names are per server, not per database")
    public boolean isSlotNamesUnique() {
        if (sources == null) {
            return true;
        }
        var seen = new HashSet<String>();
        return sources.stream().allMatch(s -> s == null || seen.add(s.host() + ":" + s.port() + "/" + s.slotNameOrDefault()));
    }

    /**
     * One service database. The role needs REPLICATION, SELECT on the outbox and write access to the
     * {@code relay_offsets} and {@code relay_heartbeat} tables that the service's migrations create.
     */
    public record Source(
            @NotBlank @Pattern(regexp = "[a-z][a-z0-9_-]{0,40}", message = "must be lower case letters, digits, '-' or '_'") String name,
            @NotBlank @DefaultValue("localhost") String host,
            @Min(1) @Max(65_535) @DefaultValue("5432") int port,
            @NotBlank String database,
            @NotBlank String username,
            String password,
            @Pattern(regexp = "[a-z0-9_]{1,63}", message = "must be lower case letters, digits or '_'") String slotName,
            @NotBlank @DefaultValue("outbox_publication") String publication) {

        public String slotNameOrDefault() {
            return slotName != null ? slotName : "outbox_relay_" + name.replace('-', '_');
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return name + " (" + username + "@" + host + ":" + port + "/" + database + ")";
        }
    }
}
