package dev.sagaplatform.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The operator console: a timeline of every saga built from the topics, and the operator actions around it. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SagaConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SagaConsoleApplication.class, args);
    }
}
