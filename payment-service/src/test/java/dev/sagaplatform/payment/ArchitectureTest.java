package dev.sagaplatform.payment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.payment.payment.GatewayReturnRetries;
import dev.sagaplatform.payment.payment.Payments;
import dev.sagaplatform.payment.payment.gateway.ChargeAnswers;
import dev.sagaplatform.payment.payment.gateway.ChargeKeys;
import dev.sagaplatform.payment.payment.messaging.PaymentMessageHandlers;
import dev.sagaplatform.web.architecture.WebConventionRules;

@AnalyzeClasses(packages = "dev.sagaplatform.payment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One problem handler and catalogue, PagedModel lists, typed configuration: what platform-web makes the one way. */
    @ArchTest
    static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);

    @ArchTest
    static final ArchRule decisionsArePlainJava = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                    "org.apache.kafka..", "java.net.http..", "org.hibernate..");

    /**
     * The deterministic simulator runs the payment participant with {@code new} on in-memory adapters of its ports:
     * the handlers and the application services reach storage, HTTP and Kafka only through those ports.
     */
    @ArchTest
    static final ArchRule participantRunsWithoutInfrastructure = noClasses().that()
            .belongToAnyOf(PaymentMessageHandlers.class, Payments.class, ChargeKeys.class, ChargeAnswers.class,
                    GatewayReturnRetries.class)
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data..", "org.springframework.jdbc..",
                    "org.springframework.web.client..", "org.apache.kafka..", "io.github.resilience4j..",
                    "org.springframework.transaction.support..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.persistence.EntityManager");

    @ArchTest
    static final ArchRule nothingSendsToKafkaDirectly = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
            .because("every message leaves through the outbox and the relay (no dual writes)");
}
