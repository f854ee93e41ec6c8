package dev.sagaplatform.web.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The platform's tracing defaults for every service, in one place and at the lowest precedence, so a service's
 * {@code application.yml}, an environment variable or a command-line flag overrides each of them:
 * <ul>
 * <li>{@code management.tracing.sampling.probability=1.0}: every saga is traced (a demo and a reference: a
 *     trace that is missing when someone looks for it teaches nothing). Lower it under real load.</li>
 * <li>Spans are exported to Zipkin only when {@value #ZIPKIN_ENDPOINT} is set ({@code ./platform up} and compose
 *     set it when a Zipkin runs). Without it nothing is exported: tests and a platform without a trace store pay for
 *     no connection attempts, and traces still correlate the log lines.</li>
 * <li>{@code logging.pattern.correlation}: each log line carries the trace id, span id and, where a saga step is
 *     handled, the order id ({@code orderId} in the MDC).</li>
 * </ul>
 */
public class PlatformTracingDefaults implements EnvironmentPostProcessor {

    static final String ZIPKIN_ENDPOINT = "management.tracing.export.zipkin.endpoint";
    static final String SOURCE_NAME = "platformTracingDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.tracing.sampling.probability", "1.0");
        defaults.put("management.tracing.export.zipkin.enabled", String.valueOf(environment.containsProperty(ZIPKIN_ENDPOINT)));
        defaults.put("logging.pattern.correlation", "[%X{traceId:-},%X{spanId:-},%X{orderId:-}] ");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }
}
