package dev.sagaplatform.testsupport;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@RealInfrastructure
@SpringJUnitConfig(SpringContextCustomizerTest.EmptyConfiguration.class)
class SpringContextCustomizerTest {

    @Autowired
    private ConfigurableEnvironment environment;

    @Test
    void contextPointsAtTheSameDatabaseAsTheExtension(DatabaseHandle database, TestInfrastructure infrastructure) {
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo(database.jdbcUrl());
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo(database.username());
        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(database.password());
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(infrastructure.kafkaBootstrapServers());
        assertThat(environment.getPropertySources().iterator().next().getName())
                .isEqualTo(RealInfrastructureContextCustomizerFactory.PROPERTY_SOURCE_NAME);
    }

    @Test
    void customizersAreEqualPerTestClassOnly() {
        RealInfrastructureContextCustomizerFactory factory = new RealInfrastructureContextCustomizerFactory();
        assertThat(factory.createContextCustomizer(SpringContextCustomizerTest.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(SpringContextCustomizerTest.class, List.of()))
                .hasSameHashCodeAs(factory.createContextCustomizer(SpringContextCustomizerTest.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(RealInfrastructureExtensionTest.class, List.of()));
        assertThat(factory.createContextCustomizer(RealInfrastructureExtensionTest.NestedTests.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(RealInfrastructureExtensionTest.class, List.of()));
        assertThat(factory.createContextCustomizer(KafkaRoundTripTest.class, List.of())).isNull();
    }

    @Configuration(proxyBeanMethods = false)
    static class EmptyConfiguration {
    }
}
