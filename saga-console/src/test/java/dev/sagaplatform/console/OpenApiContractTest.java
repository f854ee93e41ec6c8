package dev.sagaplatform.console;

import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.web.openapi.PublicContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** saga-console's /v3/api-docs says what docs/design.md's table for it says, and stays open while admin stays admin. */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

    @LocalServerPort
    int port;

    @Test
    void servesTheEndpointsTheDesignDocuments() {
        PublicContract.assertServiceMatchesDesign("saga-console", port);
    }
}
