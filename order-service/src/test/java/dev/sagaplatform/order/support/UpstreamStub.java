package dev.sagaplatform.order.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for inventory-service ({@code GET /products?sku=...}) and
 * payment-service ({@code GET /customers/{id}}) with canned data, so that the clients are tested
 * over the wire, with real timeouts and status codes.
 */
public final class UpstreamStub implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "upstream-stub");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, BigDecimal> products = new ConcurrentHashMap<>();
    private final Set<String> customers = ConcurrentHashMap.newKeySet();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<URI> productQueries = new CopyOnWriteArrayList<>();
    private volatile int productStatus = 200;
    private volatile int customerStatus = 200;
    private volatile Duration productDelay = Duration.ZERO;
    private volatile String productBody;

    private UpstreamStub(HttpServer server) {
        this.server = server;
    }

    public static UpstreamStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            UpstreamStub stub = new UpstreamStub(server);
            server.setExecutor(stub.executor);
            server.createContext("/products", stub::products);
            server.createContext("/customers/", stub::customer);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public UpstreamStub product(String sku, String price) {
        products.put(sku, new BigDecimal(price));
        return this;
    }

    public UpstreamStub customer(String customerId) {
        customers.add(customerId);
        return this;
    }

    /** Every later request for this customer waits until {@link Hold#release()}. */
    public Hold hold(String customerId) {
        Hold hold = new Hold();
        holds.put(customerId, hold);
        return hold;
    }

    public void productsAnswer(int status) {
        productStatus = status;
    }

    /** Replaces the JSON of every product answer ({@code null} goes back to the generated one). */
    public void productsBody(String json) {
        productBody = json;
    }

    public void productsDelay(Duration delay) {
        productDelay = delay;
    }

    public void customersAnswer(int status) {
        customerStatus = status;
    }

    /** Back to healthy, fast answers with the same data. */
    public void heal() {
        productStatus = 200;
        customerStatus = 200;
        productDelay = Duration.ZERO;
        productBody = null;
        holds.values().forEach(Hold::release);
        holds.clear();
    }

    public int requestCount() {
        return requests.get();
    }

    public List<URI> productQueries() {
        return List.copyOf(productQueries);
    }

    private void products(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        productQueries.add(exchange.getRequestURI());
        sleep(productDelay);
        if (productStatus != 200) {
            send(exchange, productStatus, "{\"title\":\"stubbed failure\"}");
            return;
        }
        if (productBody != null) {
            send(exchange, 200, productBody);
            return;
        }
        List<String> found = new ArrayList<>();
        for (String sku : queryValues(exchange.getRequestURI(), "sku")) {
            BigDecimal price = products.get(sku);
            if (price != null) {
                found.add("{\"sku\":" + quote(sku) + ",\"name\":\"stub product\",\"price\":" + price.toPlainString()
                        + ",\"onHand\":10,\"available\":10,\"reserved\":0}");
            }
        }
        send(exchange, 200, "{\"content\":[" + String.join(",", found) + "],\"page\":{\"size\":500,\"number\":0,"
                + "\"totalElements\":" + found.size() + ",\"totalPages\":1}}");
    }

    private void customer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String id = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/customers/".length()),
                StandardCharsets.UTF_8);
        Hold hold = holds.get(id);
        if (hold != null) {
            hold.arrived.countDown();
            await(hold.released);
        }
        if (customerStatus != 200) {
            send(exchange, customerStatus, "{\"title\":\"stubbed failure\"}");
        } else if (customers.contains(id)) {
            send(exchange, 200, "{\"customerId\":" + quote(id) + ",\"creditLimit\":1000.00,\"availableCredit\":1000.00}");
        } else {
            send(exchange, 404, "{\"title\":\"Customer not found\"}");
        }
    }

    private static List<String> queryValues(URI uri, String name) {
        List<String> values = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        heal();
        server.stop(0);
        executor.shutdownNow();
    }

    /** A request parked in the stub: the test sees it arrive and decides when it may go on. */
    public static final class Hold {

        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }
    }
}
