package dev.sagaplatform.testsupport;

import java.lang.reflect.Method;

import org.slf4j.LoggerFactory;

/**
 * Turns Kafka's INFO chatter (config dumps, every partition state change) down to WARN when the
 * SLF4J binding is Logback. A library must not ship a {@code logback-test.xml}, and a level set here
 * would otherwise fight the consumer's own configuration, so only loggers without an explicitly
 * configured level are touched. Reflection keeps Logback optional.
 */
final class KafkaLogging {

    private static final String[] NOISY_LOGGERS = { "org.apache.kafka", "kafka", "state.change.logger" };

    private KafkaLogging() {
    }

    static void quiet() {
        for (String name : NOISY_LOGGERS) {
            Object logger = LoggerFactory.getLogger(name);
            Class<?> type = logger.getClass();
            if (!type.getName().equals("ch.qos.logback.classic.Logger")) {
                return;
            }
            try {
                if (type.getMethod("getLevel").invoke(logger) != null) {
                    continue;
                }
                Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, type.getClassLoader());
                Method setLevel = type.getMethod("setLevel", level);
                setLevel.invoke(logger, level.getField("WARN").get(null));
            }
            catch (ReflectiveOperationException | LinkageError ex) {
                return;
            }
        }
    }
}
