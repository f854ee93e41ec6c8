package dev.sagaplatform.contracts;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** Every service depends on the contracts; a framework type here would be forced on all of them. */
@AnalyzeClasses(packages = "dev.sagaplatform.contracts", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractsArchitectureTest {

    @ArchTest
    static final ArchRule contractsDependOnlyOnTheJdk = classes()
            .that().resideInAPackage("dev.sagaplatform.contracts..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sagaplatform.contracts..");
}
