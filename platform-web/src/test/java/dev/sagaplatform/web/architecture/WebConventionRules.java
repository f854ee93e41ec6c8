package dev.sagaplatform.web.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Page;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * What platform-web makes the one way for every service, as rules each service's {@code ArchitectureTest} includes:
 * <pre>{@code
 * @ArchTest
 * static final ArchTests webConventions = ArchTests.in(WebConventionRules.class);
 * }</pre>
 */
public final class WebConventionRules {

    private WebConventionRules() {
    }

    @ArchTest
    public static final ArchRule oneProblemHandler = classes()
            .that().areAnnotatedWith(RestControllerAdvice.class).or().areAnnotatedWith(ControllerAdvice.class)
            .should().beAssignableTo(PlatformProblemHandler.class)
            .because("every failure is answered by platform-web's PlatformProblemHandler, which a service may only extend")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule exceptionsAreHandledOnlyByTheProblemHandler = methods()
            .that().areAnnotatedWith(ExceptionHandler.class)
            .should().beDeclaredInClassesThat().areAssignableTo(PlatformProblemHandler.class)
            .because("a controller's own @ExceptionHandler is a second problem handler that answers differently")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule problemTypesComeFromTheOneCatalogue = noClasses()
            .should().haveSimpleNameContaining("ProblemType")
            .orShould().haveSimpleNameContaining("ProblemWriter")
            .because("problem types are platform-web ProblemType constants (ProblemTypes plus the service's own), "
                    + "written by PlatformProblemHandler or ProblemResponses");

    @ArchTest
    public static final ArchRule noHandWrittenPagingTypes = noClasses()
            .should().haveSimpleNameEndingWith("PageResponse")
            .orShould().haveSimpleNameEndingWith("PageMetadata")
            .because("every list endpoint answers Spring Data's PagedModel, built with platform-web's Paging");

    @ArchTest
    public static final ArchRule listsAnswerPagedModels = noMethods()
            .that().areDeclaredInClassesThat().areAnnotatedWith(RestController.class)
            .should().haveRawReturnType(Page.class)
            .because("a Page serialises to whatever Spring Data's mode says; lists answer PagedModel (platform-web Paging)")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule noValueInjection = noClasses()
            .should().dependOnClassesThat().areAssignableTo(Value.class)
            .because("every setting is a validated @ConfigurationProperties record, which IDEs complete and start-up checks");
}
