package dev.sagaplatform.order.orders;

import dev.sagaplatform.contracts.SagaFlow;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code orders.*}. {@code defaultFlow} applies to requests that name no {@code flow}. */
@Validated
@ConfigurationProperties("orders")
public record OrderProperties(@NotNull @DefaultValue("CHOREOGRAPHY") SagaFlow defaultFlow) {
}
