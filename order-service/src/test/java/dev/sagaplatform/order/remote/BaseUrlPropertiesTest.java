package dev.sagaplatform.order.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code inventory.base-url} and {@code payment.base-url}: one URL as before, or a comma-separated list checked at start. */
class BaseUrlPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Test
    void oneUrlIsOneInstanceAndTheDefaultIsTheLocalPlatformsPort() {
        context.withPropertyValues("payment.base-url=http://payment-service:8082").run(started -> {
            assertThat(started.getBean(PaymentServiceProperties.class).dependency().baseUrls())
                    .containsExactly(URI.create("http://payment-service:8082"));
            assertThat(started.getBean(InventoryServiceProperties.class).dependency().baseUrls())
                    .containsExactly(URI.create("http://localhost:8083"));
        });
    }

    @Test
    void aCommaSeparatedListIsOneInstancePerUrlInItsOrder() {
        context.withPropertyValues("inventory.base-url=http://localhost:8083, http://localhost:8183,https://inventory.example")
                .run(started -> assertThat(started.getBean(InventoryServiceProperties.class).dependency().baseUrls())
                        .containsExactly(URI.create("http://localhost:8083"), URI.create("http://localhost:8183"),
                                URI.create("https://inventory.example")));
    }

    @Test
    void anEmptyEntryStopsTheStart() {
        assertRefused("inventory.base-url=http://localhost:8083,,http://localhost:8183", "inventory.base-url (INVENTORY_BASE_URL)",
                "is empty");
        assertRefused("payment.base-url=", "payment.base-url (PAYMENT_BASE_URL)", "is empty");
    }

    @Test
    void anEntryThatIsNotAnAbsoluteHttpUrlStopsTheStart() {
        assertRefused("inventory.base-url=http://localhost:8083,localhost:8183", "entry 2 is 'localhost:8183'");
        assertRefused("inventory.base-url=ftp://localhost:8083", "entry 1 is 'ftp://localhost:8083'");
        assertRefused("payment.base-url=/customers", "entry 1 is '/customers'");
        assertRefused("payment.base-url=http://local host:8082", "entry 1 is 'http://local host:8082'");
    }

    @Test
    void theSameInstanceTwiceStopsTheStart() {
        assertRefused("inventory.base-url=http://localhost:8083,http://LOCALHOST:8083/", "are the same instance (localhost:8083)");
        assertRefused("payment.base-url=http://payment-service,http://payment-service:80", "same instance (payment-service:80)");
    }

    private void assertRefused(String property, String... messageParts) {
        context.withPropertyValues(property).run(failed -> {
            assertThat(failed).hasFailed();
            Throwable cause = failed.getStartupFailure();
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("absolute http(s) URLs separated by commas");
            for (String part : messageParts) {
                assertThat(cause).hasMessageContaining(part);
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({InventoryServiceProperties.class, PaymentServiceProperties.class})
    static class Properties {
    }
}
