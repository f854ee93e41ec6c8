package dev.sagaplatform.payment.customer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payment.seed.*}.
 *
 * @param location the YAML file of customers created at start-up when missing (a Spring resource location), or
 *                 {@code none} for no seed
 */
@ConfigurationProperties("payment.seed")
record SeedProperties(@DefaultValue("classpath:seed/customers.yaml") String location) {

    SeedProperties {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("payment.seed.location must name a resource, or be none for no seed");
        }
    }
}
