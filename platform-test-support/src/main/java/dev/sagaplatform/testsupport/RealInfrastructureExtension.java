package dev.sagaplatform.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit side of {@link RealInfrastructure}. The databases live in {@link TestInfrastructure}'s
 * per-class registry rather than in the JUnit store so that the Spring context customizer hands
 * out the very same database.
 */
public final class RealInfrastructureExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        // Fail in beforeAll, once per class, instead of once per test method.
        TestInfrastructure.get().databaseFor(context.getRequiredTestClass());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == DatabaseHandle.class || type == TestInfrastructure.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        TestInfrastructure infrastructure = TestInfrastructure.get();
        if (type == DatabaseHandle.class) {
            return infrastructure.databaseFor(extensionContext.getRequiredTestClass());
        }
        if (type == PostgresServer.class) {
            return infrastructure.postgres();
        }
        return infrastructure;
    }
}
