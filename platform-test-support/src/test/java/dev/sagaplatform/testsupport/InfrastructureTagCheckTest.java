package dev.sagaplatform.testsupport;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.launcher.TestIdentifier;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** This class is not tagged, so the check, registered with the launcher that runs it, must refuse it the servers. */
class InfrastructureTagCheckTest {

    @Test
    void refusesTheServersAndProcessesToAnUntaggedTest() {
        assertThatThrownBy(TestInfrastructure::get)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("InfrastructureTagCheckTest")
                .hasMessageContaining("uses the shared Kafka broker and PostgreSQL server but is not tagged 'real-infrastructure'");
        assertThatThrownBy(() -> JavaProcess.builder(EchoMain.class.getName()).start())
                .hasMessageContaining("starts the JVM " + EchoMain.class.getName() + " but is not tagged 'real-infrastructure'");
    }

    @Test
    void letsATestThroughWhenItOrAContainerAroundItIsTagged() {
        InfrastructureTagCheck check = new InfrastructureTagCheck();
        TestIdentifier taggedClass = identifier("tagged", Set.of(TestTag.create(RealInfrastructure.TAG)));
        TestIdentifier method = identifier("method", Set.of());
        check.executionStarted(taggedClass);
        check.executionStarted(method);
        try {
            assertThatCode(() -> InfrastructureTagCheck.requireTag("starts something")).doesNotThrowAnyException();
        }
        finally {
            check.executionFinished(method, TestExecutionResult.successful());
            check.executionFinished(taggedClass, TestExecutionResult.successful());
        }
        assertThatThrownBy(() -> InfrastructureTagCheck.requireTag("starts something")).hasMessageContaining("starts something");
    }

    private static TestIdentifier identifier(String name, Set<TestTag> tags) {
        return TestIdentifier.from(new AbstractTestDescriptor(UniqueId.forEngine("check").append("test", name), name) {

            @Override
            public Type getType() {
                return Type.TEST;
            }

            @Override
            public Set<TestTag> getTags() {
                return tags;
            }
        });
    }
}
