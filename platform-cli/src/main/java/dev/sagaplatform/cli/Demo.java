package dev.sagaplatform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./platform demo}: build if needed, start everything, place sample orders in both flows, print what happened. */
@Command(name = "demo", description = "Build what is missing or stale, start the platform, place sample orders in both saga"
        + " flows (approved, declined, out of stock), print each outcome and the balances. The platform keeps running.")
final class Demo implements Callable<Integer> {

    /** One sample order and what the saga must make of it with the demo data. */
    record Scenario(String flow, String customer, Map<String, Integer> items, String expectedStatus, String expectedReason,
                    String story) {

        String expected() {
            return expectedReason == null ? expectedStatus : expectedStatus + " " + expectedReason;
        }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("CHOREOGRAPHY", "alice", Map.of("SKU-APPLE", 2), "APPROVED", null,
                    "credit and stock suffice"),
            new Scenario("CHOREOGRAPHY", "dave", Map.of("SKU-BOOK", 1), "REJECTED", "INSUFFICIENT_CREDIT",
                    "dave has no credit: the payment is declined"),
            new Scenario("CHOREOGRAPHY", "carol", Map.of("SKU-LAPTOP", 10), "REJECTED", "OUT_OF_STOCK",
                    "5 laptops in stock: stock rejected, payment refunded"),
            new Scenario("ORCHESTRATION", "alice", Map.of("SKU-PEN", 5), "APPROVED", null,
                    "credit and stock suffice"),
            new Scenario("ORCHESTRATION", "bob", Map.of("SKU-WATCH", 1), "REJECTED", "INSUFFICIENT_CREDIT",
                    "a 150.00 watch against 50.00 credit"),
            new Scenario("ORCHESTRATION", "carol", Map.of("SKU-LAPTOP", 6), "REJECTED", "OUT_OF_STOCK",
                    "5 laptops in stock: reservation fails, payment compensated"));

    private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol", "dave");
    private static final List<String> PRODUCTS = List.of("SKU-APPLE", "SKU-BOOK", "SKU-LAPTOP", "SKU-PEN", "SKU-WATCH");

    @Mixin
    PlatformCli.Location location = new PlatformCli.Location();
    @Mixin
    PlatformCli.PortOptions ports = new PlatformCli.PortOptions();
    @Option(names = "--clean", description = "Stop everything and start from empty databases and topics.")
    boolean clean;
    @Option(names = "--no-build", description = "Use the jars as they are, even if older than their sources.")
    boolean noBuild;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90", description = "How long to wait for the outcomes (default 90).")
    int timeoutSeconds;
    @Option(names = "--order-url", paramLabel = "URL",
            description = "Place the orders on a platform that runs elsewhere (docker compose, a cluster): nothing is built or started.")
    java.net.URI orderUrl;
    @Option(names = "--payment-url", paramLabel = "URL", description = "payment-service of that platform (balances).")
    java.net.URI paymentUrl;
    @Option(names = "--inventory-url", paramLabel = "URL", description = "inventory-service of that platform (stock).")
    java.net.URI inventoryUrl;

    @Option(names = "--zipkin-url", paramLabel = "URL",
            description = "Zipkin's UI of that platform, to print each order's trace (the local platform's is known).")
    java.net.URI zipkinUrl;

    @Override
    public Integer call() throws Exception {
        long begin = System.nanoTime();
        Platform platform = null;
        Platform.UpResult result = null;
        ShopClient shop;
        boolean orchestration;
        if (orderUrl != null || paymentUrl != null || inventoryUrl != null) {
            if (orderUrl == null || paymentUrl == null || inventoryUrl == null) {
                throw new CliException("Give all three of --order-url, --payment-url and --inventory-url, or none.");
            }
            shop = new ShopClient(orderUrl, paymentUrl, inventoryUrl);
            shop.awaitAnswer(Duration.ofSeconds(timeoutSeconds));
            orchestration = true;
        }
        else {
            PlatformCli.requireProjectRoot(location.projectRoot());
            platform = location.platform();
            Platform.UpOptions options = ports.toOptions();
            try (AutoCloseable lock = platform.runFolder().lock()) {
                if (clean) {
                    PlatformCli.Down.stopAndClean(platform);
                }
                Build build = new Build(location.projectRoot());
                build.build(build.needingBuild(!noBuild), System.out);
                result = PlatformCli.Up.start(platform, options);
            }
            orchestration = result.components().contains(Component.SAGA_ORCHESTRATOR);
            shop = ShopClient.local(result.ports(), result.replicas());
            if (zipkinUrl == null && result.components().contains(Component.ZIPKIN)) {
                zipkinUrl = java.net.URI.create("http://localhost:" + result.ports().get(Component.ZIPKIN));
            }
        }
        Map<Scenario, String> traceIds = new LinkedHashMap<>();

        // One flow after the other: carol's two laptop orders at once would compete for her credit, and
        // the second would be declined for credit instead of rejected for stock.
        Map<Scenario, String> placed = new LinkedHashMap<>();
        Map<Scenario, JsonNode> outcomes = new LinkedHashMap<>();
        Map<Scenario, Long> settledAfter = new LinkedHashMap<>();
        for (String flow : List.of("CHOREOGRAPHY", "ORCHESTRATION")) {
            System.out.println();
            if ("ORCHESTRATION".equals(flow) && !orchestration) {
                System.out.println("ORCHESTRATION orders skipped: saga-orchestrator is not running"
                        + (result != null && result.failed().contains(Component.SAGA_ORCHESTRATOR) ? " (it failed to start)"
                        : " (it has no runnable jar yet)"));
                continue;
            }
            System.out.println("Placing " + flow + " orders:");
            Map<Scenario, Long> placedAt = new LinkedHashMap<>();
            for (Scenario scenario : SCENARIOS) {
                if (!flow.equals(scenario.flow())) {
                    continue;
                }
                ShopClient.OrderRequest request = new ShopClient.OrderRequest(scenario.customer(), scenario.items(), scenario.flow());
                // The demo starts each order's trace itself, so it knows the trace id to print.
                String traceId = Traceparents.newTraceId();
                traceIds.put(scenario, traceId);
                String orderId = shop.place(request, Traceparents.of(traceId));
                placedAt.put(scenario, System.nanoTime());
                placed.put(scenario, orderId);
                System.out.printf("  %-6s %-15s order %s%n", scenario.customer(), request.describe(), orderId);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            List<Scenario> pending = new ArrayList<>(placedAt.keySet());
            while (!pending.isEmpty()) {
                for (Scenario scenario : List.copyOf(pending)) {
                    JsonNode order = shop.order(placed.get(scenario));
                    outcomes.put(scenario, order);
                    if (!"PENDING".equals(order.path("status").asText())) {
                        settledAfter.put(scenario, System.nanoTime() - placedAt.get(scenario));
                        pending.remove(scenario);
                    }
                }
                if (pending.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                Tools.sleep(100);
            }
        }

        System.out.println();
        System.out.println("Outcomes:");
        System.out.printf("  %-13s %-6s %-15s %-7s %-30s %-8s %s%n", "FLOW", "WHO", "ITEMS", "AFTER", "OUTCOME", "AS MEANT", "WHY");
        int unexpected = 0;
        for (Scenario scenario : placed.keySet()) {
            JsonNode order = outcomes.get(scenario);
            String status = order.path("status").asText();
            String reason = order.path("reason").isNull() || order.path("reason").isMissingNode() ? null : order.path("reason").asText();
            boolean asMeant = scenario.expectedStatus().equals(status)
                    && (scenario.expectedReason() == null || scenario.expectedReason().equals(reason));
            if (!asMeant) {
                unexpected++;
            }
            Long after = settledAfter.get(scenario);
            System.out.printf("  %-13s %-6s %-15s %-7s %-30s %-8s %s%n", scenario.flow(), scenario.customer(),
                    new ShopClient.OrderRequest(scenario.customer(), scenario.items(), null).describe(),
                    after == null ? "-" : Tools.seconds(after), outcome(status, reason),
                    asMeant ? "yes" : "NO (" + scenario.expected() + ")", scenario.story());
        }

        if (zipkinUrl != null && !traceIds.isEmpty()) {
            System.out.println();
            System.out.println("Traces (every service's spans of one order, in Zipkin):");
            for (Scenario scenario : placed.keySet()) {
                System.out.printf("  %-13s %-6s %s%n", scenario.flow(), scenario.customer(), traceUrl(zipkinUrl, traceIds.get(scenario)));
            }
        }

        System.out.println();
        System.out.println("Balances now:");
        System.out.printf("  %-8s %12s %16s%n", "CUSTOMER", "CREDIT LIMIT", "AVAILABLE CREDIT");
        for (String customer : CUSTOMERS) {
            JsonNode node = shop.customer(customer);
            System.out.printf("  %-8s %12s %16s%n", customer, node.path("creditLimit").asText(), node.path("availableCredit").asText());
        }
        System.out.printf("  %-10s %8s %9s %8s%n", "PRODUCT", "ON HAND", "AVAILABLE", "RESERVED");
        for (String sku : PRODUCTS) {
            JsonNode node = shop.product(sku);
            System.out.printf("  %-10s %8s %9s %8s%n", sku, node.path("onHand").asText(), node.path("available").asText(),
                    node.path("reserved").asText());
        }

        if (platform != null) {
            PlatformCli.Up.printSummary(platform, result, System.out);
            System.out.println("Demo finished in " + Tools.seconds(System.nanoTime() - begin) + "; the platform keeps running"
                    + " (./platform down stops it).");
        }
        if (unexpected > 0) {
            System.out.println();
            System.out.println(unexpected + " order(s) did not end as meant."
                    + (platform != null ? " The services' logs are in " + platform.runFolder().logs() + "." : ""));
            return 1;
        }
        return 0;
    }

    static String traceUrl(java.net.URI zipkin, String traceId) {
        String base = zipkin.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/zipkin/traces/" + traceId;
    }

    private static String outcome(String status, String reason) {
        if ("PENDING".equals(status)) {
            return "still PENDING";
        }
        return reason == null ? status : status + " " + reason;
    }

    /** One line for an order's state: status, and the reason with its detail when rejected. */
    static String describeOutcome(JsonNode order) {
        String status = order.path("status").asText();
        if ("PENDING".equals(status)) {
            return "Still PENDING: no outcome yet";
        }
        String reason = order.path("reason").asText(null);
        if (reason == null || "null".equals(reason)) {
            return status;
        }
        String detail = order.path("reasonDetail").asText("");
        return status + " (" + reason + (detail.isEmpty() || "null".equals(detail) ? "" : ": " + detail) + ")";
    }
}
