package dev.sagaplatform.invariants;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The deterministic simulator evaluates the same rules in memory: they must not reach a database or a broker. */
@AnalyzeClasses(packages = "dev.sagaplatform.invariants", importOptions = ImportOption.DoNotIncludeTests.class)
class InvariantsArchitectureTest {

    @ArchTest
    static final ArchRule rulesArePlainJava = classes()
            .that(belongToAnyOf(InvariantRules.class, PlatformSnapshot.class, Violation.class))
            .should().onlyDependOnClassesThat(or(
                    resideInAnyPackage("java.lang..", "java.util..", "java.math..", "java.time.."),
                    belongToAnyOf(InvariantRules.class, PlatformSnapshot.class, Violation.class)));
}
