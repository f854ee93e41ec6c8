package dev.sagaplatform.order.remote;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.web.client.RestClient;

/** Where another service is and how long to wait for it. */
public record HttpDependency(URI baseUrl, Duration connectTimeout, Duration readTimeout) {

    /**
     * A client with both timeouts set: without them one hung dependency would hold a request thread
     * (and the order's Idempotency-Key) indefinitely.
     */
    RestClient client(RestClient.Builder builder) {
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk()
                // HTTP/1.1: the JDK client's default h2c upgrade attempt buys nothing between services.
                .withHttpClientCustomizer(http -> http.version(HttpClient.Version.HTTP_1_1))
                .build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout));
        return builder.baseUrl(baseUrl.toString()).requestFactory(requestFactory).build();
    }
}
