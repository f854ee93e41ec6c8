package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DockerfileLintTest {

    static Stream<String> modules() {
        return Stream.of("order-service", "payment-service", "inventory-service", "saga-orchestrator", "outbox-relay",
                "payment-gateway", "platform-cli");
    }

    @ParameterizedTest
    @MethodSource("modules")
    void dockerfilePassesTheLint(String module) {
        Path dockerfile = Repository.root().resolve(module).resolve("Dockerfile");
        assertThat(dockerfile).isRegularFile();
        assertThat(DockerfileLint.violations(Repository.read(dockerfile))).isEmpty();
    }

    /** The runtime image starts the layers the build stage extracted, with the launcher of the module's exec jar. */
    @ParameterizedTest
    @MethodSource("modules")
    void dockerfileBuildsItsOwnModule(String module) {
        String text = Repository.read(Repository.root().resolve(module).resolve("Dockerfile"));
        assertThat(text).contains("-pl " + module + " -am package");
    }

    private static final String GOOD = """
            FROM maven:3.9.11-eclipse-temurin-17 AS build
            COPY . .
            RUN mvn -B package
            FROM eclipse-temurin:17.0.16_8-jre-noble
            COPY --from=build /x /app
            USER 10001:10001
            EXPOSE 8080
            HEALTHCHECK CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
            ENTRYPOINT ["java", "-jar", "/app/app.jar"]
            """;

    @Test
    void acceptsAGoodDockerfile() {
        assertThat(DockerfileLint.violations(GOOD)).isEmpty();
    }

    @Test
    void rejectsWhatTheRulesForbid() {
        assertThat(DockerfileLint.violations(GOOD.replace("eclipse-temurin:17.0.16_8-jre-noble", "eclipse-temurin:latest")))
                .anyMatch(problem -> problem.contains("not pinned"));
        assertThat(DockerfileLint.violations(GOOD.replace("eclipse-temurin:17.0.16_8-jre-noble", "eclipse-temurin")))
                .anyMatch(problem -> problem.contains("not pinned"));
        assertThat(DockerfileLint.violations(GOOD.replace("USER 10001:10001\n", ""))).contains("the runtime stage has no USER: it would run as root");
        assertThat(DockerfileLint.violations(GOOD.replace("USER 10001:10001", "USER root"))).contains("the runtime stage runs as root (USER root)");
        assertThat(DockerfileLint.violations(GOOD.replace("COPY --from=build /x /app", "ADD https://example.com/app.jar /app/app.jar")))
                .anyMatch(problem -> problem.contains("ADD of a URL"));
        assertThat(DockerfileLint.violations(GOOD.replaceAll("HEALTHCHECK .*\n", ""))).contains("the image serves a port but has no HEALTHCHECK");
        assertThat(DockerfileLint.violations(GOOD.replace("ENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]", "ENTRYPOINT java -jar /app/app.jar")))
                .anyMatch(problem -> problem.contains("shell form"));
        assertThat(DockerfileLint.violations(GOOD.substring(GOOD.indexOf("FROM eclipse")))).contains(
                "not a multi-stage build: build in one stage, run from a runtime-only image");
        assertThat(DockerfileLint.violations(GOOD.replace("RUN mvn -B package", "RUN apt-get update && apt-get install -y curl")))
                .contains("3: apt-get install without --no-install-recommends",
                        "3: apt-get install without removing /var/lib/apt/lists in the same layer");
        assertThat(DockerfileLint.violations(GOOD.replace("RUN mvn -B package", "RUN curl -fsSL https://get.example.com | sh")))
                .contains("3: piping a download into a shell");
    }

    @Test
    void joinsContinuationLines() {
        List<DockerfileLint.Instruction> instructions = DockerfileLint.parse("""
                FROM a:1.0 AS b
                # comment
                RUN one \\
                    # inside
                    && two
                """);
        assertThat(instructions).extracting(DockerfileLint.Instruction::keyword).containsExactly("FROM", "RUN");
        assertThat(instructions.get(1).arguments()).contains("one", "&& two");
    }
}
