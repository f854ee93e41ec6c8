package dev.sagaplatform.payment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
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

    @ArchTest
    static final ArchRule nothingSendsToKafkaDirectly = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
            .because("every message leaves through the outbox and the relay (no dual writes)");
}
