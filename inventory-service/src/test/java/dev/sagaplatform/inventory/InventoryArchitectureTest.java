package dev.sagaplatform.inventory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.inventory.stock.StockReservations;
import dev.sagaplatform.inventory.stock.messaging.StockMessageHandlers;
import dev.sagaplatform.inventory.stock.messaging.StockSubscription;
import dev.sagaplatform.web.architecture.WebConventionRules;

@AnalyzeClasses(packages = "dev.sagaplatform.inventory", importOptions = ImportOption.DoNotIncludeTests.class)
class InventoryArchitectureTest {

    /** One problem handler and catalogue, PagedModel lists, typed configuration: what platform-web makes the one way. */
    @ArchTest
    static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);

    /** The decisions stay plain Java: readable, unit-testable without a container, and simulatable. */
    @ArchTest
    static final ArchRule domainUsesNoFramework = noClasses()
            .that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta.persistence..", "org.hibernate..", "org.apache.kafka..",
                    "jakarta.servlet..", "java.net.http..", "org.springframework.http..", "tools.jackson..",
                    "com.fasterxml.jackson..", "java.sql..", "javax.sql..")
            .because("decisions are plain Java; adapters at the edge persist, send and receive");

    /** Messages leave only through the outbox, in the transaction that changed the state. */
    @ArchTest
    static final ArchRule noDirectKafkaSends = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.kafka.clients.producer.KafkaProducer")
            .because("a direct send next to a database write is a dual write; use OutboxWriter");

    /**
     * The deterministic simulator builds the stock flow with {@code new} on in-memory stores, broker and clock:
     * it runs this code only if the code reaches storage, messaging and transactions through the service's ports.
     */
    @ArchTest
    static final ArchRule stockFlowUsesPortsOnly = noClasses()
            .that().belongToAnyOf(StockSubscription.class, StockMessageHandlers.class, StockReservations.class)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.data..", "org.springframework.jdbc..", "org.springframework.web.client..",
                    "org.apache.kafka..", "io.github.resilience4j..", "org.springframework.transaction.support..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.persistence.EntityManager")
            .because("the simulator runs the same stock code as production; only the adapters behind the ports differ");
}
