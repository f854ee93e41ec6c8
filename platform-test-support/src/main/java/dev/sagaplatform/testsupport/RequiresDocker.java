package dev.sagaplatform.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that only make sense with Docker (a real Toxiproxy container, a docker-compose stack):
 * without a reachable Docker engine they are skipped with the reason "no Docker engine" rather
 * than failing. Tagged {@value RealInfrastructure#TAG} like {@link RealInfrastructure}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RealInfrastructure.TAG)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {

    /** The condition behind {@link RequiresDocker}. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return Docker.isAvailable()
                    ? ConditionEvaluationResult.enabled("Docker engine available")
                    : ConditionEvaluationResult.disabled("no Docker engine");
        }
    }
}
