package io.oneuihub.litellm;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.dev.litellm.Fault;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The live LiteLLM views over real HTTP to the simulator. */
@IntegrationTest
class LiteLlmViewTest extends GraphQlTestSupport {

    static final String MASTER_KEY = "sk-view-" + UUID.randomUUID();
    static final LiteLlmSimulator simulator = LiteLlmSimulator.start(0, MASTER_KEY).seedRealisticCatalog();

    @DynamicPropertySource
    static void litellm(DynamicPropertyRegistry registry) {
        registry.add("hub.litellm.base-url", simulator::baseUrl);
        registry.add("hub.litellm.master-key", () -> MASTER_KEY);
        registry.add("hub.litellm.response-timeout", () -> "2s");
        registry.add("hub.litellm.max-retries", () -> "0");
        registry.add("hub.graphql.request-timeout", () -> "1500ms");
        registry.add("hub.litellm.connect-timeout", () -> "1s");
    }

    @AfterEach
    void clearFaults() {
        simulator.clearFaults();
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @Test
    void adminsSeeDeploymentsAndBudgetsAsLiteLlmReportsThem() {
        admin().document("{ litellmModels { id modelName provider editable pricing { inputCostPerMillionTokens } params } }")
                .execute()
                .path("litellmModels").entityList(Object.class).hasSize(simulator.deploymentCount())
                .path("litellmModels[*].params.api_key").pathDoesNotExist();
        admin().document("{ litellmBudgets { id maxBudget duration modelBudgets { model } } }").execute()
                .path("litellmBudgets[*].id").entityList(String.class).satisfies(ids -> assertThat(ids).isNotEmpty().isSorted());
    }

    /**
     * LiteLLM down degrades the hub without making it unready: readiness (the database) stays UP and the catalog
     * answers, while /actuator/health reports the litellm component DOWN, and to an admin why. The indicator asks
     * LiteLLM on every health request (no cache), so both directions show on the very next request.
     */
    @Test
    void whileLiteLlmIsDownReadinessAndTheCatalogStayUpHealthSaysWhyAndBothRecover() {
        health(LocalIssuer.adminToken()).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.litellm.status").isEqualTo("UP");
        simulator.pauseListening();
        try {
            http().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
            anonymous().document("{ models(first: 5) { totalCount edges { node { name } } } }").execute()
                    .path("models.totalCount").entity(Integer.class).satisfies(n -> assertThat(n).isNotNegative());

            byte[] down = health(LocalIssuer.adminToken()).expectStatus().isEqualTo(503).expectBody()
                    .jsonPath("$.status").isEqualTo("DOWN")
                    .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                    .jsonPath("$.components.litellm.status").isEqualTo("DOWN")
                    .jsonPath("$.components.litellm.details.category").isEqualTo("UNAVAILABLE")
                    .jsonPath("$.components.litellm.details.reason").value(String.class, reason -> assertThat(reason)
                            .contains("GET /health/liveliness", "connection refused by " + simulator.baseUrl()))
                    .returnResult().getResponseBody();
            assertThat(new String(down, StandardCharsets.UTF_8)).as("the health answer").doesNotContain(MASTER_KEY);
            // without an admin's token: which component is down, not the hosts and errors
            health(null).expectStatus().isEqualTo(503).expectBody()
                    .jsonPath("$.components.litellm.status").isEqualTo("DOWN")
                    .jsonPath("$.components.litellm.details").doesNotExist();
        } finally {
            simulator.resumeListening();
        }
        health(LocalIssuer.adminToken()).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.litellm.status").isEqualTo("UP")
                .jsonPath("$.components.litellm.details.answer").isEqualTo("I'm alive!");
    }

    private WebTestClient.ResponseSpec health(String token) {
        var request = http().get().uri("/actuator/health");
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.exchange();
    }

    @Test
    void aLiteLlmSlowerThanTheRequestTimeoutIsAGraphQlErrorNotA503() {
        // the client alone would wait its 2 s response timeout, past the 1.5 s request timeout set above
        simulator.inject(Fault.latency(java.time.Duration.ofSeconds(5)), "/budget/list");
        admin().document("{ litellmBudgets { id } }").execute().errors()
                .expect(e -> e.getErrorType().toString().equals("UPSTREAM_UNAVAILABLE")
                        && e.getExtensions().get("upstreamCategory").equals("TIMEOUT"))
                .verify();
    }

    @Test
    void othersAreRefused() {
        int before = simulator.requestCount();
        user().document("{ litellmModels { id } }").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
        anonymous().document("{ litellmBudgets { id } }").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.UNAUTHORIZED).verify();
        assertThat(simulator.requestCount()).as("no call reaches LiteLLM for a refused caller").isEqualTo(before);
    }

    @Test
    void anUnreachableOrBrokenLiteLlmIsNamedWithoutLeakingTheKey() {
        simulator.inject(Fault.plainText500(), "/v2/model/info");
        simulator.inject(Fault.plainText500(), "/model/info");
        admin().document("{ litellmModels { id } }").execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getErrorType().toString()).isEqualTo("UPSTREAM_UNAVAILABLE");
                    assertThat(error.getMessage()).contains("HTTP 500").doesNotContain(MASTER_KEY, "Exception", "at io.");
                }));

        simulator.clearFaults();
        simulator.inject(Fault.slowDrip(java.time.Duration.ofSeconds(1)), "/budget/list");
        admin().document("{ litellmBudgets { id } }").execute().errors()
                .expect(e -> e.getErrorType().toString().equals("UPSTREAM_UNAVAILABLE")
                        && e.getExtensions().get("upstreamCategory").equals("TIMEOUT"))
                .verify();
    }
}
