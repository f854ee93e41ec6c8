package dev.sagaplatform.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the shared real Kafka broker and PostgreSQL server, and a database of its own.
 * <p>
 * Test methods, constructors and lifecycle methods can declare parameters of type
 * {@link DatabaseHandle} (the class's database), {@link TestInfrastructure} and
 * {@link PostgresServer}. In a Spring test ({@code @SpringBootTest}, {@code @SpringJUnitConfig}, ...)
 * the context also gets {@code spring.datasource.url/username/password} for that same database and
 * {@code spring.kafka.bootstrap-servers}.
 * <p>
 * {@code @Nested} classes share the database of the enclosing annotated class; a subclass of an
 * annotated class gets its own.
 * <p>
 * Carries the JUnit tag {@value #TAG}, which {@code -Pfast} leaves out. A test that needs anything outside its own
 * JVM without this annotation (it calls {@link TestInfrastructure#get()} itself, or starts a {@link JavaProcess}, a
 * {@link KafkaBrokerProcess} or another server) says so with {@code @Tag(RealInfrastructure.TAG)} on its class, or
 * on the one method that does when its other methods do not; {@link InfrastructureTagCheck} fails it otherwise.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RealInfrastructure.TAG)
@ExtendWith(RealInfrastructureExtension.class)
public @interface RealInfrastructure {

    /** The JUnit tag of every test that needs real servers or starts processes. */
    String TAG = "real-infrastructure";
}
