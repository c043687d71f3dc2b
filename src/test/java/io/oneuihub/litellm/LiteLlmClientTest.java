package io.oneuihub.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.oneuihub.budget.ModelBudget;
import io.oneuihub.catalog.ModelCapability;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import io.oneuihub.dev.litellm.ShapeMode;
import io.oneuihub.litellm.LiteLlmException.Category;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The client over real HTTP against the simulator, in both response generations. */
class LiteLlmClientTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String MASKED_SECRET_TOKEN_FIELD = "aws_session_token";
    private static String key;
    private static LiteLlmSimulator sim;
    private LiteLlmClient client;

    @BeforeAll
    static void startSimulator() {
        key = SimulatorSupport.newMasterKey();
        sim = LiteLlmSimulator.start(0, key);
    }

    @AfterAll
    static void stopSimulator() {
        sim.stop();
    }

    @BeforeEach
    void freshState() {
        sim.reset().clearFaults().enableAllRoutes().storeModelInDb(true).mode(ShapeMode.CURRENT).seedRealisticCatalog();
        sim.resetCounters();
        client = SimulatorSupport.client(SimulatorSupport.properties(sim, key).withPageSize(10));
    }

    private LiteLlmClient as(ShapeMode mode) {
        sim.mode(mode);
        return client;
    }

    private static void expectError(Mono<?> call, Category category) {
        StepVerifier.create(call)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LiteLlmException.class)
                        .extracting(x -> ((LiteLlmException) x).category()).isEqualTo(category))
                .verify(WAIT);
    }

    // ------------------------------------------------------------------ models

    @ParameterizedTest
    @EnumSource(ShapeMode.class)
    void readsEveryDeploymentPageByPage(ShapeMode mode) {
        List<DeploymentPage> pages = as(mode).deploymentPages().collectList().block(WAIT);
        int total = sim.deploymentCount();
        assertThat(total).isBetween(55, 65);
        assertThat(pages.stream().mapToInt(p -> p.deployments().size()).sum()).isEqualTo(total);
        if (mode == ShapeMode.CURRENT) {
            assertThat(pages).hasSize((total + 9) / 10);
            assertThat(pages).extracting(DeploymentPage::pageNumber).startsWith(1, 2, 3);
            assertThat(pages.get(0).totalPages()).isEqualTo(pages.size());
        } else {
            assertThat(pages).singleElement().satisfies(p -> assertThat(p.totalPages()).isNull());
        }
        List<LiteLlmDeployment> all = client.deployments().collectList().block(WAIT);
        assertThat(all).extracting(LiteLlmDeployment::provider).contains("openai", "anthropic", "gemini", "vertex_ai", "azure",
                "bedrock", "mistral", "cohere", "groq", "deepseek", "xai", "ollama");
        assertThat(all).extracting(LiteLlmDeployment::id).doesNotHaveDuplicates();
        LiteLlmDeployment gpt4o = all.stream().filter(d -> "openai/gpt-4o".equals(d.litellmModel())).findFirst().orElseThrow();
        assertThat(gpt4o.editable()).as("config-file model").isFalse();
        assertThat(gpt4o.id()).matches("[0-9a-f]{64}");
        assertThat(gpt4o.inputCostPerToken()).isEqualByComparingTo("0.0000025");
        assertThat(gpt4o.maxInputTokens()).isEqualTo(128000);
        assertThat(gpt4o.capabilities()).contains(ModelCapability.VISION, ModelCapability.FUNCTION_CALLING);
        LiteLlmDeployment azure = all.stream().filter(d -> "azure".equals(d.provider())).findFirst().orElseThrow();
        assertThat(azure.editable()).isTrue();
        assertThat(azure.params()).doesNotContainKey("api_key").containsKey("api_base");
    }

    @Test
    void readsThroughModelInfoWhenTheV2RouteIsMissing() {
        sim.disableRoute("GET /v2/model/info");
        assertThat(client.deployments().count().block(WAIT)).isEqualTo(sim.deploymentCount());
        assertThat(sim.requestCount("GET", "/model/info")).isEqualTo(1);
    }

    @Test
    void readsOneDeploymentAndReportsUnknownIds() {
        String id = sim.deploymentIds().get(5);
        StepVerifier.create(client.deployment(id)).assertNext(d -> assertThat(d.id()).isEqualTo(id)).verifyComplete();
        expectError(client.deployment("11111111-2222-3333-4444-555555555555"), Category.NOT_FOUND);
    }

    @ParameterizedTest
    @EnumSource(ShapeMode.class)
    void createsADeploymentAndReturnsItAsLiteLlmServesIt(ShapeMode mode) {
        NewDeployment request = new NewDeployment("2d5f8a90-4c1e-4b7a-9e3f-6a8b0c2d4e6f", "gpt-4o-mini",
                Map.of("model", "azure/prod-gpt4o-mini-westeu", "api_key", "real-azure-secret-value", "api_base",
                        "https://contoso-westeu.openai.azure.com/", "rpm", 600),
                Map.of("base_model", "azure/gpt-4o-mini", "description", "EU data residency"));
        StepVerifier.create(as(mode).createDeployment(request))
                .assertNext(d -> {
                    assertThat(d.id()).isEqualTo("2d5f8a90-4c1e-4b7a-9e3f-6a8b0c2d4e6f");
                    assertThat(d.editable()).isTrue();
                    assertThat(d.litellmModel()).as("plain text, not the write answer's ciphertext").isEqualTo("azure/prod-gpt4o-mini-westeu");
                    assertThat(d.params()).doesNotContainKey("api_key");
                    assertThat(d.rpm()).isEqualTo(600L);
                    assertThat(d.inputCostPerToken()).isEqualByComparingTo("0.000000165");
                })
                .verifyComplete();
        assertThat(sim.storedParams("2d5f8a90-4c1e-4b7a-9e3f-6a8b0c2d4e6f")).containsEntry("api_key", "real-azure-secret-value");
        expectError(client.createDeployment(request), Category.CONFLICT);
        assertThat(sim.requestCount("POST", "/model/new")).as("writes are never retried").isEqualTo(2);
    }

    @Test
    void updateNeverSendsAMaskedSecretBack() {
        LiteLlmDeployment bedrock = client.deployments().filter(d -> d.params().containsKey(MASKED_SECRET_TOKEN_FIELD)).blockFirst(WAIT);
        String realToken = (String) sim.storedParams(bedrock.id()).get(MASKED_SECRET_TOKEN_FIELD);
        assertThat(bedrock.params().get(MASKED_SECRET_TOKEN_FIELD)).asString().contains("****").isNotEqualTo(realToken);
        Map<String, Object> edited = new java.util.LinkedHashMap<>(bedrock.params());
        edited.put("rpm", 42);
        StepVerifier.create(client.updateDeployment(bedrock.id(), new DeploymentUpdate("claude-renamed", edited, null)))
                .assertNext(d -> {
                    assertThat(d.rpm()).isEqualTo(42L);
                    assertThat(d.modelName()).isEqualTo("claude-renamed");
                })
                .verifyComplete();
        assertThat(sim.storedParams(bedrock.id())).containsEntry(MASKED_SECRET_TOKEN_FIELD, realToken);
    }

    @Test
    void configModelsAreReadOnlyAndUnknownModelsNotFound() {
        String configId = client.deployments().filter(d -> !d.editable()).blockFirst(WAIT).id();
        expectError(client.updateDeployment(configId, new DeploymentUpdate(null, Map.of("rpm", 1), null)), Category.READ_ONLY_CONFIG_MODEL);
        expectError(client.deleteDeployment(configId), Category.READ_ONLY_CONFIG_MODEL);
        expectError(client.updateDeployment("11111111-2222-3333-4444-555555555555", new DeploymentUpdate(null, Map.of("rpm", 1), null)),
                Category.NOT_FOUND);
        expectError(client.deleteDeployment("11111111-2222-3333-4444-555555555555"), Category.NOT_FOUND);
        assertThat(sim.requestCount("PATCH", "/model/11111111-2222-3333-4444-555555555555/update"))
                .as("a missing model is not a missing route: no fallback").isEqualTo(1);
        assertThat(sim.requestCount("POST", "/model/update")).isZero();
    }

    @Test
    void deletesADbDeployment() {
        String id = client.deployments().filter(LiteLlmDeployment::editable).blockFirst(WAIT).id();
        StepVerifier.create(client.deleteDeployment(id)).verifyComplete();
        expectError(client.deployment(id), Category.NOT_FOUND);
    }

    @Test
    void fallsBackToPostUpdateOnBuildsWithoutPatch() {
        sim.disableRoute("PATCH /model/{id}/update");
        String id = client.deployments().filter(LiteLlmDeployment::editable).blockFirst(WAIT).id();
        StepVerifier.create(client.updateDeployment(id, new DeploymentUpdate(null, Map.of("tpm", 1234), null)))
                .assertNext(d -> assertThat(d.tpm()).isEqualTo(1234L)).verifyComplete();
        assertThat(sim.requestCount("POST", "/model/update")).isEqualTo(1);

        sim.storeModelInDb(false); // the legacy route then answers "200 null"
        expectError(client.updateDeployment(id, new DeploymentUpdate(null, Map.of("tpm", 1), null)), Category.REJECTED);
    }

    @Test
    void modelWritesSwitchedOffAreRejected() {
        sim.storeModelInDb(false);
        expectError(client.createDeployment(new NewDeployment(null, "x", Map.of("model", "openai/gpt-4o"), null)), Category.REJECTED);
    }

    @Test
    void readsModelGroups() {
        StepVerifier.create(client.modelGroups().filter(g -> g.name().equals("claude-sonnet-4")))
                .assertNext(g -> {
                    assertThat(g.providers()).contains("anthropic", "vertex_ai", "bedrock");
                    assertThat(g.maxInputTokens()).isEqualTo(200000);
                })
                .verifyComplete();
    }

    // ------------------------------------------------------------------ budgets

    @ParameterizedTest
    @EnumSource(ShapeMode.class)
    void managesBudgets(ShapeMode mode) {
        as(mode);
        BudgetRequest request = new BudgetRequest("gold", new BigDecimal("250.00"), new BigDecimal("200"), null, 1000L, 60L, "1mo", null,
                List.of(new ModelBudget("gpt-4o", new BigDecimal("40"), "30d", null, null)));
        StepVerifier.create(client.createBudget(request))
                .assertNext(b -> {
                    assertThat(b.id()).isEqualTo("gold");
                    assertThat(b.maxBudget()).isEqualByComparingTo("250");
                    assertThat(b.resetAt()).isAfter(OffsetDateTime.now());
                    assertThat(b.modelBudgets()).extracting(ModelBudget::model).containsExactly("gpt-4o");
                    if (mode == ShapeMode.CURRENT) { // calendar aligned: 1st of next month
                        assertThat(b.resetAt().getDayOfMonth()).isEqualTo(1);
                        assertThat(b.resetAt().getHour()).isZero();
                    }
                })
                .verifyComplete();
        expectError(client.createBudget(request), Category.CONFLICT);
        expectError(client.createBudget(new BudgetRequest("neg", new BigDecimal("-5"), null, null, null, null, null, null, null)),
                Category.REJECTED);
        StepVerifier.create(client.updateBudget(new BudgetRequest("gold", new BigDecimal("300"), null, null, null, null, "1mo", null, null)))
                .assertNext(b -> {
                    assertThat(b.maxBudget()).isEqualByComparingTo("300");
                    assertThat(b.softBudget()).as("null clears").isNull();
                    assertThat(b.tpmLimit()).isNull();
                })
                .verifyComplete();
        expectError(client.updateBudget(new BudgetRequest("ghost", BigDecimal.ONE, null, null, null, null, null, null, null)),
                Category.NOT_FOUND);
        assertThat(client.budgets().map(LiteLlmBudget::id).collectList().block(WAIT)).contains("gold", "free_tier", "pro_tier");
        assertThat(client.budgetSettings("pro_tier").collectList().block(WAIT)).extracting(BudgetSetting::name).contains("max_budget");
        StepVerifier.create(client.deleteBudget("gold")).assertNext(b -> assertThat(b.id()).isEqualTo("gold")).verifyComplete();
        expectError(client.deleteBudget("gold"), Category.NOT_FOUND);
        expectError(client.budget("gold"), Category.NOT_FOUND);
    }

    @Test
    void refusesABadDurationWithoutCallingLiteLlm() {
        expectError(client.createBudget(new BudgetRequest("x", BigDecimal.ONE, null, null, null, null, "1 month", null, null)),
                Category.REJECTED);
        assertThat(sim.requestCount("POST", "/budget/new")).isZero();
    }

    // ------------------------------------------------------------------ customers, users, teams, spend

    @ParameterizedTest
    @EnumSource(ShapeMode.class)
    void managesCustomers(ShapeMode mode) {
        as(mode);
        List<LiteLlmCustomer> customers = client.customers().collectList().block(WAIT);
        LiteLlmCustomer acme = customers.stream().filter(c -> c.id().equals("acme-user-9001")).findFirst().orElseThrow();
        assertThat(acme.budgetId()).isEqualTo("pro_tier");
        assertThat(acme.spend()).isEqualByComparingTo("3.1187");
        assertThat(acme.budget().maxBudget()).isEqualByComparingTo("100");
        StepVerifier.create(client.createCustomer(new CustomerRequest("new-co", "New Co", "free_tier", null, "eu", null)))
                .assertNext(c -> assertThat(c.budget().id()).isEqualTo("free_tier")).verifyComplete();
        expectError(client.createCustomer(new CustomerRequest("new-co", null, null, null, null, null)), Category.CONFLICT);
        StepVerifier.create(client.updateCustomer(new CustomerRequest("new-co", null, "pro_tier", null, null, null)))
                .assertNext(c -> assertThat(c.budgetId()).isEqualTo("pro_tier")).verifyComplete();
        StepVerifier.create(client.deleteCustomers(List.of("new-co"))).expectNext(1).verifyComplete();
        expectError(client.customer("new-co"), Category.NOT_FOUND);
    }

    @ParameterizedTest
    @EnumSource(ShapeMode.class)
    void readsAndUpdatesUsersAndTeams(ShapeMode mode) {
        as(mode);
        LiteLlmClient smallPages = SimulatorSupport.client(SimulatorSupport.properties(sim, key).withPageSize(2));
        assertThat(smallPages.users().map(LiteLlmUser::id).collectList().block(WAIT))
                .containsExactly("jane@acme.example", "omar@acme.example", "svc-batch");
        assertThat(sim.requestCount("GET", "/user/list")).as("three users, two per page").isEqualTo(2);
        StepVerifier.create(client.updateUser(new UserBudgetUpdate("jane@acme.example", new BigDecimal("50"), "30d", 100000L, 60L, null,
                        BigDecimal.ZERO)))
                .assertNext(u -> {
                    assertThat(u.maxBudget()).isEqualByComparingTo("50");
                    assertThat(u.spend()).isEqualByComparingTo("0");
                    assertThat(u.rpmLimit()).isEqualTo(60L);
                })
                .verifyComplete();
        expectError(client.updateUser(new UserBudgetUpdate("ghost@acme.example", BigDecimal.ONE, null, null, null, null, null)),
                Category.NOT_FOUND);
        assertThat(sim.user("ghost@acme.example")).as("no silent upsert").isNull();

        assertThat(client.teams().map(LiteLlmTeam::alias).collectList().block(WAIT)).containsExactlyInAnyOrder("research", "platform");
        StepVerifier.create(client.updateTeam(new TeamBudgetUpdate("9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60", new BigDecimal("750"),
                        new BigDecimal("600"), "1mo", 600000L, null, null)))
                .assertNext(t -> {
                    assertThat(t.maxBudget()).isEqualByComparingTo("750");
                    assertThat(t.spend()).as("spend untouched").isEqualByComparingTo("212.44817");
                    assertThat(t.rpmLimit()).as("null clears").isNull();
                    if (mode == ShapeMode.CURRENT) {
                        assertThat(t.softBudget()).isEqualByComparingTo("600");
                    } else {
                        assertThat(t.softBudget()).isNull();
                    }
                })
                .verifyComplete();
        expectError(client.team("no-such-team"), Category.NOT_FOUND);
    }

    @Test
    void readsTeamsFromTheBareV1ListOnOldBuilds() {
        sim.disableRoute("GET /v2/team/list");
        assertThat(client.teams().count().block(WAIT)).isEqualTo(2);
    }

    @Test
    void readsGlobalSpendAndLiveliness() {
        StepVerifier.create(client.globalSpend())
                .assertNext(s -> assertThat(s.spend().toString()).isEqualTo("1834.2291")).verifyComplete();
        sim.globalSpend(null, null);
        StepVerifier.create(client.globalSpend()).assertNext(s -> assertThat(s.spend()).isNull()).verifyComplete();
        StepVerifier.create(client.liveliness()).expectNext("I'm alive!").verifyComplete();
    }

    @Test
    void aWrongKeyIsUnauthorizedAndNotRetried() {
        LiteLlmClient wrong = SimulatorSupport.client(SimulatorSupport.properties(sim, SimulatorSupport.newMasterKey()));
        expectError(wrong.budgets().then(), Category.UNAUTHORIZED);
        LiteLlmClient none = SimulatorSupport.client(SimulatorSupport.properties(sim, null));
        expectError(none.budgets().then(), Category.UNAUTHORIZED);
        assertThat(sim.requestCount("GET", "/budget/list")).isEqualTo(2);
    }
}
