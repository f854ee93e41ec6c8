package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The saga console driven in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; Selenium
 * is pointed at {@code /usr/bin/chromedriver}, so Selenium Manager never downloads anything). Without a browser or
 * driver the tests skip and say so. Each main view is saved as {@code target/console-screenshots/console-*.png}; with
 * {@code -Dconsole.screenshots=docs} (a folder of the repository) they refresh the ones the docs show instead, so a
 * test run never changes the source tree unasked.
 */
class ConsoleBrowserTest extends EndToEndTest {

    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
            Path.of("/usr/bin/google-chrome"));
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = System.getProperty("console.screenshots", "").isBlank()
            ? Path.of("target", "console-screenshots")
            : Path.of(System.getProperty("e2e.modules.dir", "..")).resolve(System.getProperty("console.screenshots"));
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(90);

    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() {
        Optional<Path> chromium = BROWSERS.stream().filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium at " + BROWSERS + ": apt-get install chromium chromium-driver");
        Assumptions.assumeTrue(Files.isExecutable(DRIVER), "no chromedriver at " + DRIVER + ": apt-get install chromium-driver");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1440,1000");
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void ordersOfBothFlowsTurnTerminalOnTheConsoleAndTheTimelineShowsEveryStep() {
        UUID choreographed = place("alice", Map.of("SKU-APPLE", 1), "CHOREOGRAPHY");
        UUID orchestrated = place("alice", Map.of("SKU-APPLE", 1), "ORCHESTRATION");

        open("orders");
        waitUntil("both orders APPROVED on the console", () -> row("tr.order-row", choreographed, "APPROVED")
                && row("tr.order-row", orchestrated, "APPROVED"));
        screenshot("orders");

        browser.findElement(By.cssSelector("tr.order-row[data-order-id='" + orchestrated + "']")).click();
        waitUntil("the orchestrated order's timeline up to OrderApproved", () -> eventTypes().containsAll(List.of(
                "OrderCreated", "AuthorizePayment", "SagaReply", "ReserveStock", "ApproveOrder", "OrderApproved")));
        assertThat(browser.findElement(By.id("timeline-state")).getText()).isEqualTo("APPROVED");
        browser.findElements(By.cssSelector("#timeline a.trace")).forEach(link ->
                assertThat(link.getAttribute("href")).startsWith("http://localhost:9411/zipkin/traces/"));
        browser.findElements(By.cssSelector("#timeline button.inspect")).get(0).click();
        waitUntil("the first message inspected", () -> browser.findElement(By.id("inspect")).getText().contains("OrderCreated"));
        screenshot("timeline");

        open("order/" + choreographed);
        waitUntil("the choreographed order's timeline across the participants", () -> eventTypes().containsAll(List.of(
                "OrderCreated", "PaymentAuthorized", "StockReserved", "OrderApproved")));
    }

    @Test
    void aStuckSagaIsRetriedFromTheConsole() {
        EmbeddedPlatform platform = embedded();
        UUID orderId = placeWithInventoryFrozen(platform);
        try {
            String sagaId = client.sagaOf(orderId).path("sagaId").asString();
            // ReserveStock times out, then ReleaseStock goes unanswered until the compensation budget is spent.
            awaitSagaState(orderId, "STUCK", EmbeddedPlatform.STEP_TIMEOUT.multipliedBy(10));

            signIn();
            open("stuck");
            By stuckRow = By.cssSelector("tr.stuck-saga[data-saga-id='" + sagaId + "']");
            waitUntil("the parked saga listed", () -> !browser.findElements(stuckRow).isEmpty());
            screenshot("stuck");
            clickWhenFresh("the stuck saga's retry button", () -> browser.findElement(stuckRow).findElement(By.cssSelector("button.retry")));
            waitUntil("the retry confirmed", () -> browser.findElement(By.id("message")).getText().contains("retried"));
            assertThat(client.sagaOf(orderId).path("state").asString()).isEqualTo("COMPENSATING");
        } finally {
            platform.resume(Service.INVENTORY);
        }
        awaitSagaState(orderId, "COMPENSATED", Duration.ofSeconds(90));
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("REJECTED");
    }

    /**
     * inventory-service cannot store a reservation (its table is away, as after a bad migration) and dead-letters the
     * order's PaymentAuthorized; once fixed, the operator replays it from the console, twice. The reservation is made
     * once at most: the replayed record keeps its event id, which inventory-service's inbox holds after the first
     * replay (and the after-test invariants find no message applied twice).
     */
    @Test
    void aDeadLetterReplayedFromTheConsoleHasNoDoubleEffect() {
        long reservedBefore = client.product("SKU-APPLE").path("reserved").asLong();
        UUID orderId;
        execute(Service.INVENTORY, "alter table reservation_lines rename to reservation_lines_away");
        try {
            orderId = place("alice", Map.of("SKU-APPLE", 1), "CHOREOGRAPHY");
            open("dead-letters");
            By deadLetterRow = By.cssSelector("tr.dead-letter[data-order-id='" + orderId + "']");
            waitUntil("the PaymentAuthorized dead letter listed", () -> !browser.findElements(deadLetterRow).isEmpty());
        } finally {
            execute(Service.INVENTORY, "alter table reservation_lines_away rename to reservation_lines");
        }
        By deadLetterRow = By.cssSelector("tr.dead-letter[data-order-id='" + orderId + "']");
        WebElement row = browser.findElement(deadLetterRow);
        assertThat(row.getText()).contains("PaymentAuthorized").contains("inventory-service");
        assertThat(row.findElement(By.cssSelector("td.error")).getText()).as("the consumer's error").isNotBlank();
        clickWhenFresh("the dead letter's inspect button", () -> browser.findElement(deadLetterRow).findElement(By.cssSelector("button.inspect")));
        waitUntil("the dead letter inspected", () -> browser.findElement(By.id("dead-letter-inspect")).getText().contains("kafka_dlt-"));
        screenshot("dead-letters");

        signIn();
        open("dead-letters");
        for (int replay = 1; replay <= 2; replay++) {
            waitUntil("the dead letter listed", () -> !browser.findElements(deadLetterRow).isEmpty());
            clickWhenFresh("the dead letter's replay button", () -> browser.findElement(deadLetterRow).findElement(By.cssSelector("button.replay")));
            waitUntil("the replay confirmed", () -> browser.findElement(By.id("message")).getText().contains("replayed by inventory-service"));
            int replays = replay;
            waitUntil("the console saw replay " + replay, () -> replayedRecords(orderId) >= replays);
        }
        waitUntil("the dead letter marked replayed", () -> "true".equals(browser.findElement(deadLetterRow).getAttribute("data-replayed")));

        JsonNode order = awaitTerminal(orderId);
        String eventId = deadLetterEventId(orderId);
        // Both replays reached inventory-service: its consumer offsets are past them before it is asked.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> replayedRecords(orderId) >= 2);
        assertThat(count(Service.INVENTORY, "select count(*) from processed_message where message_id = ?::uuid", eventId))
                .as("inventory-service applied the replayed PaymentAuthorized once").isLessThanOrEqualTo(1);
        long expectedReserved = reservedBefore + ("APPROVED".equals(order.path("status").asString()) ? 1 : 0);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> client.product("SKU-APPLE").path("reserved").asLong() == expectedReserved);
        assertThat(count(Service.INVENTORY, "select count(*) from reservations where order_id = ?::uuid", orderId.toString()))
                .isLessThanOrEqualTo(1);
    }

    @Test
    void theConsoleShowsThePaymentGatewayBreakerOpenWhileTheGatewayFails() {
        var faults = client.adminPut(Service.GATEWAY, "/admin/faults", "{\"errorRate\":1.0}");
        assertThat(faults.status()).as(faults.body()).isEqualTo(200);
        List<UUID> placed = new ArrayList<>();
        try {
            open("resilience");
            By open = By.cssSelector("tr.breaker-row[data-service='payment-service'][data-name='payment-gateway'][data-state='OPEN']");
            // Each order's charge is tried three times; the breaker opens after ten calls, most of them failed.
            await().atMost(UI_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
                placed.add(place("bob", Map.of("SKU-PEN", 1), "CHOREOGRAPHY"));
                return !browser.findElements(open).isEmpty();
            });
            screenshot("resilience");
            assertThat(browser.findElements(By.cssSelector("tr.relay-row"))).isNotEmpty();
        } finally {
            assertThat(client.adminDelete(Service.GATEWAY, "/admin/faults").status()).isEqualTo(200);
        }
        placed.forEach(ConsoleBrowserTest::awaitTerminal);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void open(String view) {
        browser.get(app.url(Service.CONSOLE).resolve("/#" + view).toString());
        waitUntil("the " + view + " view rendered", () -> browser.findElement(By.id("view-" + view.split("/")[0]))
                .getAttribute("class").contains("active") && browser.findElement(By.tagName("body")).getAttribute("data-refreshed") != null);
    }

    private static void signIn() {
        open("orders");
        WebElement user = browser.findElement(By.id("admin-user"));
        user.clear();
        user.sendKeys(app.adminUser());
        browser.findElement(By.id("admin-password")).sendKeys(app.adminPassword());
        browser.findElement(By.id("admin-sign-in")).click();
        waitUntil("signed in", () -> browser.findElement(By.id("admin-status")).getText().contains(app.adminUser()));
    }

    private static boolean row(String selector, UUID orderId, String state) {
        return !browser.findElements(By.cssSelector(selector + "[data-order-id='" + orderId + "'][data-state='" + state + "']")).isEmpty();
    }

    private static List<String> eventTypes() {
        return browser.findElements(By.cssSelector("#timeline tr.timeline-row")).stream().map(r -> r.getAttribute("data-event-type")).toList();
    }

    /**
     * Finds the element anew and clicks it, again if the page re-rendered it between the two (the console polls and
     * redraws its tables; a CI run once lost the replay button that way). A stale element is never clicked, so no
     * click happens twice.
     */
    private static void clickWhenFresh(String what, java.util.function.Supplier<WebElement> element) {
        waitUntil(what + " clicked", () -> {
            element.get().click();
            return true;
        });
    }

    private static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, UI_TIMEOUT, Duration.ofMillis(250)).withMessage(what).until(driver -> {
            try {
                return condition.getAsBoolean();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false; // the page re-rendered the table meanwhile
            }
        });
    }

    /** The console's records of the order's event on its original topic that replay a dead letter. */
    private static long replayedRecords(UUID orderId) {
        JsonNode timeline = client.get(Service.CONSOLE, "/api/orders/" + orderId).json();
        return Stream.of(timeline.path("messages")).flatMap(JsonNode::valueStream)
                .filter(message -> "REPLAYED".equals(message.path("outcome").asString())).count();
    }

    private static String deadLetterEventId(UUID orderId) {
        return client.get(Service.CONSOLE, "/api/dead-letters").json().path("deadLetters").valueStream()
                .filter(letter -> orderId.toString().equals(letter.path("orderId").asString()))
                .map(letter -> letter.path("eventId").asString()).findFirst().orElseThrow();
    }

    private static void screenshot(String view) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve("console-" + view + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID place(String customerId, Map<String, Integer> lines, String flow) {
        var response = client.placeOrder(UUID.randomUUID().toString(), customerId, lines, flow);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    private static JsonNode awaitTerminal(UUID orderId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> !"PENDING".equals(client.order(orderId).path("status").asString()));
        return client.order(orderId);
    }

    /** An orchestrated order whose ReserveStock inventory-service has not answered, with inventory-service frozen. */
    private static UUID placeWithInventoryFrozen(EmbeddedPlatform platform) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            UUID orderId = place("carol", Map.of("SKU-BOOK", 1), "ORCHESTRATION");
            platform.pause(Service.INVENTORY);
            boolean answered = false;
            for (JsonNode step : client.sagaOf(orderId).path("history")) {
                answered |= "ReserveStock".equals(step.path("commandType").asString()) && !"SENT".equals(step.path("outcome").asString());
            }
            if (!answered) {
                return orderId;
            }
            platform.resume(Service.INVENTORY);
            awaitTerminal(orderId);
        }
        throw new IllegalStateException("inventory-service answered ReserveStock before it could be frozen, 3 times");
    }

    private static void awaitSagaState(UUID orderId, String state, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(300))
                .until(() -> state.equals(client.sagaOf(orderId).path("state").asString()));
    }

    private static EmbeddedPlatform embedded() {
        if (!(app instanceof EmbeddedPlatform platform)) {
            throw new org.opentest4j.TestAbortedException("needs the embedded platform to freeze inventory-service");
        }
        return platform;
    }

    private static void execute(Service service, String sql) {
        try (Connection connection = app.database(service).getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Service service, String sql, String parameter) {
        try (Connection connection = app.database(service).getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
