package dev.sagaplatform.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.orchestrator.saga.SagaOrchestrator;
import dev.sagaplatform.orchestrator.saga.messaging.SagaSubscription;
import dev.sagaplatform.web.architecture.WebConventionRules;

@AnalyzeClasses(packages = "dev.sagaplatform.orchestrator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One problem handler and catalogue, PagedModel lists, typed configuration: what platform-web makes the one way. */
    @ArchTest
    static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);

    /** The saga definition and state machine stay plain Java: unit-testable, and drivable by a simulator. */
    @ArchTest
    static final ArchRule domainIsFreeOfFrameworks = noClasses()
            .that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta.persistence..", "org.hibernate..", "org.apache.kafka..",
                    "jakarta.servlet..", "java.net.http..", "java.sql..", "javax.sql..", "tools.jackson..",
                    "com.fasterxml.jackson..", "io.micrometer..", "org.slf4j..", "dev.sagaplatform.messaging..")
            .because("decisions are plain Java; adapters at the edge persist, send and receive");

    /**
     * The orchestrator's edge runs on its ports (SagaStore, Outbox, ParticipantQueues), so that the deterministic
     * simulator runs this very code; only its after-commit metrics and log lines use Spring's transaction hooks.
     */
    @ArchTest
    static final ArchRule orchestratorRunsOnPorts = noClasses()
            .that().belongToAnyOf(SagaOrchestrator.class, SagaSubscription.class)
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data..", "org.springframework.jdbc..",
                    "org.springframework.web.client..", "org.apache.kafka..", "io.github.resilience4j..", "java.sql..",
                    "tools.jackson..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.persistence.EntityManager")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(
                    "dev.sagaplatform.orchestrator.saga.persistence.SagaRepository")
            .because("the simulator constructs them with in-memory adapters (docs/simulation.md)");

    /** Every command leaves through the outbox in the transaction that changed the saga (no dual writes). */
    @ArchTest
    static final ArchRule nothingSendsToKafkaDirectly = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
            .because("commands are sent with OutboxWriter.append inside the saga's transaction");
}
