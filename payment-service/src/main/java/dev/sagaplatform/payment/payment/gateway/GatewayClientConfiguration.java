package dev.sagaplatform.payment.payment.gateway;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class GatewayClientConfiguration {

    @Bean
    PaymentGatewayClient paymentGatewayClient(RestClient.Builder builder,
                                              @Value("${payment.gateway.base-url}") String baseUrl,
                                              @Value("${payment.gateway.connect-timeout:1s}") Duration connectTimeout,
                                              @Value("${payment.gateway.read-timeout:3s}") Duration readTimeout) {
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk()
                .build(HttpClientSettings.defaults().withConnectTimeout(connectTimeout).withReadTimeout(readTimeout));
        return new PaymentGatewayClient(builder.baseUrl(baseUrl).requestFactory(requestFactory).build());
    }
}
