package dev.sagaplatform.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.web.architecture.WebConventionRules;

/** The platform-wide rules from docs/service-conventions.md. */
@AnalyzeClasses(packages = "dev.sagaplatform.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One problem handler and catalogue, PagedModel lists, typed configuration: what platform-web makes the one way. */
    @ArchTest
    static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);

    @ArchTest
    static final ArchRule decisionsArePlainJava = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta..", "java.sql..", "javax.sql..", "tools.jackson..", "com.fasterxml..",
                    "org.apache..", "io.micrometer..", "dev.sagaplatform.gateway.web..")
            .because("decisions are plain Java so they can be read and unit-tested without any framework");

    @ArchTest
    static final ArchRule nothingSendsToKafka = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate");
}
