package dev.sagaplatform.cli;

import dev.sagaplatform.cli.load.LoadException;
import dev.sagaplatform.cli.load.LoadFixtures;
import dev.sagaplatform.cli.load.LoadResult;
import dev.sagaplatform.cli.load.LoadRun;
import dev.sagaplatform.cli.load.LoadSpec;
import dev.sagaplatform.cli.load.LoadTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./platform load}: steady open-loop load on the running local platform, with the figures at the end. */
@Command(name = "load", description = {
        "Place orders at a fixed rate on the running platform and report what became of them.",
        "With several order-service instances (up --replicas), orders go to them in turn; an instance that refuses the"
                + " connection (stopped, restarting) is skipped for the next.",
        "Open loop: order i is due at i/rate seconds, latencies count from that due time (no coordinated omission).",
        "Uses its own customers (load-customer-0001...) and products (LOAD-SKU-0001...), created or topped up first"
                + " through the admin API (PUT /customers/{id}, PUT /products/{sku})."},
        footer = {"", "Exit code: 0 when every accepted order ended, 2 when some were still unfinished after --settle,"
                + " 1 when the run could not be made."})
final class Load implements Callable<Integer> {

    @Mixin
    PlatformCli.Location location = new PlatformCli.Location();

    @Option(names = "--rate", required = true, paramLabel = "R", description = "Orders per second offered (e.g. 20 or 2.5).")
    double rate;
    @Option(names = "--duration", required = true, paramLabel = "D", description = "How long to send, e.g. 60s, 5m.")
    String duration;
    @Option(names = "--flow", paramLabel = "F", defaultValue = "MIXED",
            description = "CHOREOGRAPHY, ORCHESTRATION or MIXED (alternating; default ${DEFAULT-VALUE}).")
    String flow;
    @Option(names = "--customers", paramLabel = "N", defaultValue = "50", description = "Load customers to spread orders over (default ${DEFAULT-VALUE}).")
    int customers;
    @Option(names = "--skus", paramLabel = "N", defaultValue = "20", description = "Load products to spread order lines over (default ${DEFAULT-VALUE}).")
    int skus;
    @Option(names = "--lines", paramLabel = "K", defaultValue = "1", description = "Order lines per order, each a different SKU (default ${DEFAULT-VALUE}).")
    int lines;
    @Option(names = "--settle", paramLabel = "D", defaultValue = "60s",
            description = "After sending, how long to wait for the sagas still in flight (default ${DEFAULT-VALUE}).")
    String settle;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;

    @Override
    public Integer call() {
        LoadSpec spec = spec();
        Platform platform = location.platform();
        LoadTarget target = target(platform.ports(), platform.replicas(), platform.runFolder().adminCredentials(false));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        try {
            System.out.printf("Preparing %d load customers and %d load products...%n", spec.customers(), spec.skus());
            new LoadFixtures(target, http).prepare(spec);
            System.out.printf("Offering %s orders/s for %s (%d orders, flow %s)%n", rate == Math.rint(rate) ? String.valueOf((long) rate)
                    : String.valueOf(rate), duration, spec.total(), spec.flow());
            LoadRun run = new LoadRun(spec, target, http, System.out, System.console() != null);
            LoadResult result = run.run();
            result.print(System.out);
            run.unexpectedAnswers().forEach((answer, count) -> System.out.println("Unexpected " + count + " x " + answer));
            if (json != null) {
                result.writeJson(json);
                System.out.println("JSON: " + json.toAbsolutePath());
            }
            return result.unfinished() == 0 ? 0 : 2;
        } catch (LoadException e) {
            throw new CliException(e.getMessage());
        }
    }

    LoadSpec spec() {
        try {
            return new LoadSpec(rate, LoadSpec.parseDuration(duration, "--duration"), LoadSpec.FlowMix.parse(flow),
                    customers, skus, lines, LoadSpec.parseDuration(settle, "--settle"));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    static LoadTarget target(Map<Component, Integer> ports, RunFolder.AdminCredentials credentials) {
        return target(ports, Replicas.SINGLE, credentials);
    }

    /** The local platform: orders go to every order-service instance in turn, skipping one that refuses the connection. */
    static LoadTarget target(Map<Component, Integer> ports, Replicas replicas, RunFolder.AdminCredentials credentials) {
        return new LoadTarget(local(ports.get(Component.ORDER)), local(ports.get(Component.PAYMENT)),
                local(ports.get(Component.INVENTORY)), "localhost:" + ports.get(Component.KAFKA),
                credentials == null ? null : credentials.user(), credentials == null ? null : credentials.password(),
                replicas.instances(Component.ORDER).stream().map(instance -> local(instance.port(ports))).toList());
    }

    private static URI local(int port) {
        return URI.create("http://localhost:" + port);
    }
}
