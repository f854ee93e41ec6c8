package dev.sagaplatform.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points a Spring test context of a {@link RealInfrastructure} class at the shared servers and the
 * class's own database. Registered in {@code META-INF/spring.factories}, so Spring picks it up by
 * itself and non-Spring users never load it.
 */
public final class RealInfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

    static final String PROPERTY_SOURCE_NAME = "realInfrastructure";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        Class<?> owner = TestInfrastructure.databaseOwner(testClass);
        return owner.isAnnotationPresent(RealInfrastructure.class) ? new RealInfrastructureContextCustomizer(owner) : null;
    }

    /**
     * Equal for the same database-owning class only: the context cache must not hand one class's
     * context (and database) to another class. Servers start here rather than in the factory so that
     * merely computing a cache key starts nothing.
     */
    private static final class RealInfrastructureContextCustomizer implements ContextCustomizer {

        private final Class<?> databaseOwner;

        RealInfrastructureContextCustomizer(Class<?> databaseOwner) {
            this.databaseOwner = databaseOwner;
        }

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
            TestInfrastructure infrastructure = TestInfrastructure.get();
            // Spring Boot may have reset the logging configuration since the servers started.
            KafkaLogging.quiet();
            DatabaseHandle database = infrastructure.databaseFor(databaseOwner);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("spring.datasource.url", database.jdbcUrl());
            properties.put("spring.datasource.username", database.username());
            properties.put("spring.datasource.password", database.password());
            properties.put("spring.kafka.bootstrap-servers", infrastructure.kafkaBootstrapServers());
            // Spring keeps earlier test classes' contexts (and their consumers) alive in its cache: with the service's
            // own group name they would share the topics' partitions with this context and take its messages.
            properties.put("platform.messaging.consumer.group-id-suffix", "-" + database.name());
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RealInfrastructureContextCustomizer customizer && customizer.databaseOwner == databaseOwner;
        }

        @Override
        public int hashCode() {
            return databaseOwner.hashCode();
        }

        @Override
        public String toString() {
            return "RealInfrastructureContextCustomizer[" + databaseOwner.getName() + "]";
        }
    }
}
