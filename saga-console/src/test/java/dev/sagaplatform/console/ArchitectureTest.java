package dev.sagaplatform.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.web.architecture.WebConventionRules;

/** The platform-wide rules from docs/service-conventions.md, and the console's own boundary: it reads, it never sends. */
@AnalyzeClasses(packages = "dev.sagaplatform.console", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);

    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta..", "java.sql..", "javax.sql..", "tools.jackson..", "com.fasterxml..",
                    "org.apache..", "io.micrometer..")
            .because("what a message means for its saga is plain Java, unit-tested without any framework");

    @ArchTest
    static final ArchRule nothingSendsToKafka = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
            .because("the console learns from the topics and acts only through the services' own endpoints (replay included)");

    @ArchTest
    static final ArchRule readsNoOtherServicesTables = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("dev.sagaplatform.order..", "dev.sagaplatform.payment..",
                    "dev.sagaplatform.inventory..", "dev.sagaplatform.orchestrator..", "dev.sagaplatform.relay..")
            .because("the console knows the other services only by their messages and HTTP APIs");
}
