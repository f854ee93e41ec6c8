package dev.sagaplatform.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gateway.merchant-api-key}, from {@code PAYMENT_GATEWAY_API_KEY}: the secret the one merchant
 * (payment-service) sends with every charge and refund. Required: a card processor without it would let
 * anyone who knows an order id refund or void that order's payment.
 */
@ConfigurationProperties("gateway")
public record MerchantProperties(String merchantApiKey) {

    public MerchantProperties {
        if (merchantApiKey == null || merchantApiKey.isBlank()) {
            throw new IllegalArgumentException("gateway.merchant-api-key is not set: set PAYMENT_GATEWAY_API_KEY to the merchant key"
                    + " payment-service uses (./platform up generates one)");
        }
        if (merchantApiKey.length() < 16) {
            throw new IllegalArgumentException("gateway.merchant-api-key (PAYMENT_GATEWAY_API_KEY) must be at least 16 characters");
        }
    }
}
