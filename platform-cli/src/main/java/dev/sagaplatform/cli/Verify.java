package dev.sagaplatform.cli;

import dev.sagaplatform.cli.load.LoadSpec;
import dev.sagaplatform.invariants.InvariantCheck;
import dev.sagaplatform.invariants.Violation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./platform verify}: the business invariants of the running platform, now. */
@Command(name = "verify", description = {
        "Check the business invariants on the running platform: every accepted order ended and every service agrees on it,"
                + " money and stock balance, no order was charged twice (also at the gateway), every outbox row was published,"
                + " every accepted Idempotency-Key has its order.",
        "Waits (up to --settle) for orders and sagas still in flight first; reads each service's own database and the topics."},
        footer = {"", "Exit code: 0 when every invariant holds, 1 when one does not (each violation is listed with its orders and rows)."})
final class Verify implements Callable<Integer> {

    @Mixin
    PlatformCli.Location location = new PlatformCli.Location();

    @Option(names = "--settle", paramLabel = "D", defaultValue = "90s",
            description = "How long to wait for orders and sagas in flight to end first (default ${DEFAULT-VALUE}).")
    String settle;

    @Override
    public Integer call() {
        Duration settleTime = LoadSpec.parseDuration(settle, "--settle");
        Platform platform = location.platform();
        if (platform.running(Component.POSTGRES).isEmpty() || platform.running(Component.KAFKA).isEmpty()) {
            throw new CliException("PostgreSQL and Kafka must be running to verify: ./platform up starts them.");
        }
        InvariantCheck.Verdict verdict = new InvariantCheck(platform.access(), line -> System.out.println("  " + line)).check(settleTime);
        print(verdict, System.out);
        return verdict.holds() ? 0 : 1;
    }

    static void print(InvariantCheck.Verdict verdict, PrintStream out) {
        StringBuilder counts = new StringBuilder();
        verdict.counts().forEach((what, count) -> counts.append(counts.length() == 0 ? "" : ", ").append(count).append(' ').append(what));
        out.println("Checked " + counts + ".");
        if (verdict.holds()) {
            out.println("Every invariant holds.");
            return;
        }
        out.println(verdict.violations().size() + " violation(s):");
        for (Violation violation : verdict.violations()) {
            out.println("  " + violation);
            if (!violation.rows().isEmpty()) {
                out.println("      rows: " + String.join("; ", violation.rows().subList(0, Math.min(5, violation.rows().size()))));
            }
        }
    }
}
