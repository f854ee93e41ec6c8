package dev.sagaplatform.testsupport;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Fails a test that reaches the real servers or starts a process through this library without the tag
 * {@value RealInfrastructure#TAG}: {@code -Pfast} would otherwise run it, and it would pass there only where the
 * servers happen to start. Registered in {@code META-INF/services}, so the JUnit launcher finds it by itself.
 * <p>
 * It sees only this library's entry points ({@link TestInfrastructure#get()}, {@link JavaProcess},
 * {@link KafkaBrokerProcess}); a test that starts a server or process some other way must still be tagged by hand.
 * Outside a JUnit run (no test started), nothing is checked.
 */
public final class InfrastructureTagCheck implements TestExecutionListener {

    private static final TestTag TAG = TestTag.create(RealInfrastructure.TAG);

    /** Every test and container now running; more than one leaf only if JUnit runs tests in parallel. */
    private static final Deque<TestIdentifier> running = new ConcurrentLinkedDeque<>();

    @Override
    public void executionStarted(TestIdentifier testIdentifier) {
        running.push(testIdentifier);
    }

    @Override
    public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult testExecutionResult) {
        running.remove(testIdentifier);
    }

    /**
     * Throws unless the running test (or a container around it) is tagged. Any tagged one will do, so tests run in
     * parallel never fail a tagged test; they can only let an untagged one through.
     */
    static void requireTag(String what) {
        TestIdentifier current = running.peek();
        if (current == null || running.stream().anyMatch(test -> test.getTags().contains(TAG))) {
            return;
        }
        throw new IllegalStateException("The test " + current.getUniqueId() + " " + what
                + " but is not tagged '" + RealInfrastructure.TAG + "', so -Pfast would run it: annotate its class with "
                + "@RealInfrastructure or @Tag(RealInfrastructure.TAG), or the one method that does with the latter.");
    }
}
