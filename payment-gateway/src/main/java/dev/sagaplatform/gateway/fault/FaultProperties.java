package dev.sagaplatform.gateway.fault;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param maxHang how long {@code hang} holds a request before answering 504, so hung threads always come back */
@ConfigurationProperties("gateway.faults")
public record FaultProperties(@DefaultValue("5m") Duration maxHang) {

    public FaultProperties {
        if (maxHang.isNegative() || maxHang.isZero()) {
            throw new IllegalArgumentException("gateway.faults.max-hang must be positive, was " + maxHang);
        }
    }
}
