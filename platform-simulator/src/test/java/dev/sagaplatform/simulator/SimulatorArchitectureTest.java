package dev.sagaplatform.simulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * No second copy of a business rule: the simulator reaches the services' decisions only through the same
 * application classes and handlers the services run (each service's own architecture test keeps those on ports),
 * never by calling a decision itself, which would let it drift from what production does.
 */
@AnalyzeClasses(packages = "dev.sagaplatform.simulator", importOptions = ImportOption.DoNotIncludeTests.class)
class SimulatorArchitectureTest {

    @ArchTest
    static final ArchRule decisionsAreReachedOnlyThroughTheServicesOwnCode = noClasses()
            .that().resideInAPackage("dev.sagaplatform.simulator..")
            .should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.base.DescribedPredicate.describe("a business decision", target ->
                            target.getOwner().getName().matches(".*\\.(PaymentDecisions|ReservationRules|IdempotencyRules)")
                                    || target.getOwner().getName().endsWith(".SagaStateMachine") && target.getName().equals("decide")
                                    || target.getOwner().getName().endsWith(".orders.domain.Order")
                                            && target.getName().matches("approve|reject|place")
                                    || target.getOwner().getName().endsWith(".Customer") && target.getName().matches("debit|credit")
                                    || target.getOwner().getName().endsWith(".Product") && target.getName().matches("reserve|release"))))
            .because("the simulator must run the services' decisions, not restate them");

    @ArchTest
    static final ArchRule noSpringNoDatabaseNoKafkaClient = noClasses()
            .that().resideInAPackage("dev.sagaplatform.simulator..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                    "java.sql..", "org.apache.kafka.clients..")
            .because("the simulated world is one thread of plain Java; no framework may bring its own threads, clock or I/O");
}
