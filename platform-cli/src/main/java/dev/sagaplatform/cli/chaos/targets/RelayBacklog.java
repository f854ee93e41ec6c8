package dev.sagaplatform.cli.chaos.targets;

import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.invariants.PlatformAccess;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/** Waits until the relay has work in flight: a replication slot with WAL it has not confirmed yet. */
public final class RelayBacklog {

    private RelayBacklog() {
    }

    public static Operation await(PlatformAccess access, Duration atMost) {
        return new Operation.Local("wait (at most " + atMost.toSeconds() + " s) until a replication slot has WAL the relay has not"
                + " confirmed yet", () -> {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (System.nanoTime() < deadline) {
                try (Connection connection = access.databases().open(Services.ORDER);
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("select count(*) from pg_replication_slots"
                             + " where confirmed_flush_lsn < pg_current_wal_lsn()")) {
                    if (rows.next() && rows.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        });
    }
}
