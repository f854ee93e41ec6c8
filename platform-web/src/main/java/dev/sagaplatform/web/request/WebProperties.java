package dev.sagaplatform.web.request;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code platform.web.*}: limits every service's HTTP API applies the same way.
 *
 * @param maxRequestBody a larger request body is refused with {@code 413 payload-too-large} before anything reads it
 */
@ConfigurationProperties("platform.web")
public record WebProperties(@DefaultValue("64KB") DataSize maxRequestBody) {

    public WebProperties {
        if (maxRequestBody == null || maxRequestBody.toBytes() < 1 || maxRequestBody.toBytes() > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("platform.web.max-request-body must be from 1B to 2GB, was " + maxRequestBody);
        }
    }
}
