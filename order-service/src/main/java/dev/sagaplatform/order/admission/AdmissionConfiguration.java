package dev.sagaplatform.order.admission;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

    @Bean
    SagaAdmission sagaAdmission(AdmissionProperties properties) {
        return new SagaAdmission(properties.settings());
    }
}
