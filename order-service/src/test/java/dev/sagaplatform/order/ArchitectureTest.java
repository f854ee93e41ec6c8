package dev.sagaplatform.order;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.order.idempotency.IdempotencyKeys;
import dev.sagaplatform.order.idempotency.IdempotencyRules;
import dev.sagaplatform.order.orders.ChoreographyDeadline;
import dev.sagaplatform.order.orders.OrderOutcomes;
import dev.sagaplatform.order.orders.OrderPlacement;
import dev.sagaplatform.order.orders.messaging.SagaOutcomeHandlers;
import dev.sagaplatform.order.orders.web.IdempotentOrderPlacement;
import dev.sagaplatform.web.architecture.WebConventionRules;

@AnalyzeClasses(packages = "dev.sagaplatform.order", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One problem handler and catalogue, PagedModel lists, typed configuration: what platform-web makes the one way. */
    @ArchTest
    static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);

    /** The saga decisions stay plain Java: readable, unit-testable and drivable by a simulator. */
    @ArchTest
    static final ArchRule domainIsFreeOfFrameworks = noClasses()
            .that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta.persistence..", "org.hibernate..", "org.apache.kafka..",
                    "jakarta.servlet..", "java.net.http..", "tools.jackson..", "com.fasterxml.jackson..",
                    "dev.sagaplatform.messaging..")
            .because("decisions are plain Java; adapters at the edge persist, send and receive");

    /** Every message leaves through the outbox in the transaction that changed the state (no dual writes). */
    @ArchTest
    static final ArchRule nothingSendsToKafkaDirectly = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
            .because("messages are sent with OutboxWriter.append inside the business transaction");

    /**
     * The order's business code reaches storage, HTTP and transactions only through its ports, so that the
     * deterministic simulator runs this very code on in-memory adapters (issue #14).
     */
    @ArchTest
    static final ArchRule businessCodeRunsOnPorts = noClasses()
            .that().belongToAnyOf(SagaOutcomeHandlers.class, OrderOutcomes.class, OrderPlacement.class,
                    ChoreographyDeadline.class, IdempotentOrderPlacement.class, IdempotencyKeys.class,
                    IdempotencyRules.class)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.data..", "org.springframework.jdbc..", "org.springframework.web.client..",
                    "org.apache.kafka..", "io.github.resilience4j..", "org.springframework.transaction.support..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.persistence.EntityManager")
            .because("production adapters and the simulator's in-memory adapters must run the same business code");
}
