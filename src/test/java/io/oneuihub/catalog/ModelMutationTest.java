package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.dev.litellm.Fault;
import io.oneuihub.dev.litellm.Fault.ErrorShape;
import io.oneuihub.dev.litellm.LiteLlmSimulator;
import io.oneuihub.dev.litellm.ShapeMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * createModel, updateModel, deleteModel, addDeployment, updateDeployment and removeDeployment over real HTTP
 * with a real admin token, against the LiteLLM simulator on a real socket and PostgreSQL. Each happy path checks
 * both sides (what LiteLLM holds, what the hub returns and stores); each LiteLLM failure leaves the hub's tables
 * byte-for-byte as they were, unless LiteLLM did apply the write and the hub could see it (then the hub stores
 * exactly what LiteLLM holds).
 */
@IntegrationTest
class ModelMutationTest extends GraphQlTestSupport {

    /** Generated per JVM; never a literal in the sources. */
    static final String KEY = "sk-test-" + UUID.randomUUID().toString().replace("-", "");
    static final LiteLlmSimulator sim = LiteLlmSimulator.start(0, KEY);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    @DynamicPropertySource
    static void litellm(DynamicPropertyRegistry registry) {
        registry.add("hub.litellm.base-url", sim::baseUrl);
        registry.add("hub.litellm.master-key", () -> KEY);
        registry.add("hub.litellm.connect-timeout", () -> "500ms");
        registry.add("hub.litellm.response-timeout", () -> RESPONSE_TIMEOUT.toMillis() + "ms");
        registry.add("hub.litellm.max-retries", () -> "1");
        registry.add("hub.litellm.retry-backoff", () -> "20ms");
        registry.add("hub.litellm.page-size", () -> "500");
    }

    private static final String DEPLOYMENT = """
            id externalId litellmModel provider mode editable params status updatedAt
            pricing { inputCostPerToken outputCostPerToken } limits { maxTokens maxInputTokens maxOutputTokens rpm tpm }""";
    private static final String MODEL = """
            id name description mode enabled free status externalId updatedAt company { slug }
            pricing { inputCostPerToken outputCostPerToken inputCostPerMillionTokens outputCostPerMillionTokens }
            limits { maxTokens maxInputTokens maxOutputTokens rpm tpm } capabilities
            deployments { %s }""".formatted(DEPLOYMENT);
    private static final String MODEL_PAYLOAD = """
            model { %s } deployment { %s } userErrors { field message code }
            changedDeployments { externalId } unchangedDeployments { externalId }""".formatted(MODEL, DEPLOYMENT);
    private static final String DELETE_PAYLOAD = "deletedId userErrors { field message code }";

    /** Every response body of the test, to look for secrets in. */
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fresh() {
        sim.clearFaults().enableAllRoutes().storeModelInDb(true).mode(ShapeMode.CURRENT).reset();
        clearDatabase();
        bodies.clear();
    }

    // ================================================================== createModel

    @Test
    void createModelPostsADbDeploymentWithOurIdAndStoresWhatLiteLlmReports() {
        seed(Map.of("gpt-4o", List.of("openai/gpt-4o")));
        String secret = secret();
        String awsSecret = secret();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "  claude-house ");
        input.put("litellmModel", "anthropic/claude-3-5-haiku-20241022");
        input.put("apiBase", "https://anthropic.internal.example/v1");
        input.put("apiKey", secret);
        input.put("apiVersion", "2023-06-01");
        input.put("params", Map.of("timeout", 30, "aws_secret_access_key", awsSecret));
        input.put("pricing", Map.of("inputCostPerMillionTokens", "0.9", "outputCostPerMillionTokens", "4.5"));
        input.put("limits", Map.of("maxTokens", 8192, "maxInputTokens", 200000, "rpm", 120, "tpm", 90000));
        input.put("mode", "chat");
        input.put("description", "Haiku behind our own gateway.");
        input.put("free", true);

        Map<String, Object> payload = mutate("createModel", input);
        assertThat(errors(payload)).isEmpty();
        Map<String, Object> model = map(payload, "model");
        Map<String, Object> deployment = map(payload, "deployment");
        String externalId = (String) deployment.get("externalId");

        // LiteLLM: one DB deployment under the hub's own UUID, with the secret in clear (as LiteLLM stores it encrypted)
        assertThat(UUID.fromString(externalId).toString()).isEqualTo(externalId);
        assertThat(sim.isDbDeployment(externalId)).isTrue();
        assertThat(sim.modelName(externalId)).isEqualTo("claude-house");
        assertThat(sim.storedParams(externalId)).contains(entry("model", "anthropic/claude-3-5-haiku-20241022"),
                entry("api_base", "https://anthropic.internal.example/v1"), entry("api_key", secret), entry("api_version", "2023-06-01"),
                entry("timeout", 30), entry("aws_secret_access_key", awsSecret), entry("rpm", 120), entry("tpm", 90000));
        assertThat(new BigDecimal(sim.storedParams(externalId).get("input_cost_per_token").toString())).isEqualByComparingTo("0.0000009");
        assertThat(new BigDecimal(sim.storedParams(externalId).get("output_cost_per_token").toString())).isEqualByComparingTo("0.0000045");
        assertThat(sim.storedInfo(externalId)).contains(entry("mode", "chat"), entry("max_tokens", 8192), entry("max_input_tokens", 200000));
        assertThat(sim.requestCount("POST", "/model/new")).isEqualTo(1);

        // The hub: the model as LiteLLM reports it (custom prices, our limits, the cost map's capabilities)
        assertThat(model).contains(entry("name", "claude-house"), entry("description", "Haiku behind our own gateway."),
                entry("mode", "chat"), entry("enabled", true), entry("free", true), entry("status", "ACTIVE"), entry("externalId", externalId));
        assertThat(map(model, "pricing")).contains(entry("inputCostPerToken", 0.0000009), entry("outputCostPerToken", 0.0000045),
                entry("inputCostPerMillionTokens", 0.9), entry("outputCostPerMillionTokens", 4.5));
        assertThat(map(model, "limits")).contains(entry("maxTokens", 8192), entry("maxInputTokens", 200000), entry("rpm", 120), entry("tpm", 90000));
        assertThat((List<Object>) model.get("capabilities")).contains("VISION", "FUNCTION_CALLING");
        assertThat(map(model, "company")).containsEntry("slug", "anthropic");
        assertThat(deployment).contains(entry("litellmModel", "anthropic/claude-3-5-haiku-20241022"), entry("provider", "anthropic"),
                entry("editable", true), entry("status", "ACTIVE"));
        assertThat(map(deployment, "params")).doesNotContainKey("api_key").containsEntry("timeout", 30)
                .containsEntry("api_base", "https://anthropic.internal.example/v1");
        assertThat(list(payload, "changedDeployments")).extracting(d -> d.get("externalId")).containsExactly(externalId);

        // Stored: stamped by the mutation, company derived (not by hand), and no secret anywhere
        assertThat(one("SELECT local_write_at IS NOT NULL AND NOT company_manual FROM model WHERE name = 'claude-house'")).isEqualTo("true");
        assertThat(one("SELECT local_write_at IS NOT NULL FROM deployment WHERE external_id = '" + externalId + "'")).isEqualTo("true");
        assertNoSecretStoredOrReturned(secret, awsSecret);
        // what the sync would store: a dry run finds nothing to change
        assertThat(dryRunChanges()).isEmpty();
    }

    @Test
    void createModelJoinsTheModelOfThatNameAndTheModelIsDerivedFromBothDeployments() {
        seed(Map.of("gpt-4o", List.of("openai/gpt-4o")));
        Map<String, Object> before = hubModel("gpt-4o");
        sim.resetCounters();

        Map<String, Object> payload = mutate("createModel", Map.of("name", "gpt-4o", "litellmModel", "azure/prod-gpt4o-eastus",
                "apiBase", "https://contoso.openai.azure.com/", "apiKey", secret(), "limits", Map.of("rpm", 300),
                "description", "Two regions."));
        assertThat(errors(payload)).isEmpty();
        Map<String, Object> model = map(payload, "model");
        assertThat(model.get("id")).isEqualTo(before.get("id"));
        assertThat(list(model, "deployments")).extracting(d -> d.get("litellmModel"))
                .containsExactlyInAnyOrder("openai/gpt-4o", "azure/prod-gpt4o-eastus");
        assertThat(model).containsEntry("description", "Two regions.");
        // derived as the sync derives it: rpm is the group's capacity; the maker's company wins over the cloud on a tie
        assertThat(map(model, "limits")).containsEntry("rpm", 300);
        assertThat(map(model, "company")).containsEntry("slug", "openai");
        assertThat(sim.deploymentCount()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM model")).isEqualTo(1);
        assertThat(dryRunChanges()).isEmpty();
    }

    /** CURRENT answers a duplicate id with a generic 500, MID with a 400 "Unique constraint failed". */
    @ParameterizedTest
    @EnumSource(ShapeMode.class)
    void aCreateRetriedWithTheSameExternalIdIsNotCreatedTwice(ShapeMode mode) {
        sim.mode(mode);
        seed(Map.of());
        String externalId = UUID.randomUUID().toString();
        Map<String, Object> input = Map.of("name", "retried", "litellmModel", "openai/gpt-4.1-mini", "externalId", externalId);
        Map<String, Object> first = mutate("createModel", input);
        Map<String, String> afterFirst = tableChecksumsWithoutTimes();
        Map<String, Object> second = mutate("createModel", input);

        assertThat(errors(first)).isEmpty();
        assertThat(errors(second)).isEmpty();
        assertThat(map(second, "deployment").get("id")).isEqualTo(map(first, "deployment").get("id"));
        assertThat(sim.requestCount("POST", "/model/new")).isEqualTo(2);
        assertThat(sim.deploymentIds()).containsExactly(externalId);
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(1);
        assertThat(tableChecksumsWithoutTimes()).isEqualTo(afterFirst);

        // the same id for something else is someone else's deployment: refused, nothing changes
        Map<String, String> sums = tableChecksums();
        Map<String, Object> other = mutate("createModel", Map.of("name", "other", "litellmModel", "openai/gpt-4.1-mini",
                "externalId", externalId));
        assertThat(errors(other)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("CONFLICT");
            assertThat(e.get("field")).isEqualTo(List.of("input", "externalId"));
            assertThat((String) e.get("message")).contains("model 'retried'");
        });
        assertThat(other.get("model")).isNull();
        assertThat(tableChecksums()).isEqualTo(sums);
        assertThat(sim.modelName(externalId)).isEqualTo("retried");
    }

    /** LiteLLM failed or refused: it did not apply the create, and the hub changes nothing. */
    static Stream<Arguments> notApplied() {
        return Stream.of(
                Arguments.of(Fault.serverErrorJson(), "UPSTREAM_UNAVAILABLE"),
                Arguments.of(Fault.plainText500(), "UPSTREAM_UNAVAILABLE"),
                Arguments.of(Fault.connectionClosed(), "UPSTREAM_UNAVAILABLE"),
                Arguments.of(Fault.rejected(400, ErrorShape.PROXY_EXCEPTION), "UPSTREAM_REJECTED"),
                Arguments.of(Fault.rejected(403, ErrorShape.DETAIL), "UPSTREAM_REJECTED"),
                Arguments.of(Fault.rejected(404, ErrorShape.PROBLEM), "NOT_FOUND"),
                Arguments.of(Fault.rejected(422, ErrorShape.VALIDATION), "UPSTREAM_REJECTED"));
    }

    /** LiteLLM applied the write but its answer was lost: malformed, cut, too late. */
    static Stream<Arguments> appliedAnswerLost() {
        return Stream.of(
                Arguments.of(Fault.malformedJson()),
                Arguments.of(Fault.truncatedJson()),
                Arguments.of(Fault.latency(RESPONSE_TIMEOUT.plusMillis(500))),
                Arguments.of(Fault.slowDrip(Duration.ofMillis(200))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notApplied")
    void aCreateLiteLlmDidNotApplyChangesNothing(Fault fault, String code) {
        seed(Map.of("gpt-4o", List.of("openai/gpt-4o")));
        Map<String, String> sums = tableChecksums();
        List<String> upstream = sim.deploymentIds();
        String secret = secret();
        sim.inject(fault, "/model/new");

        Map<String, Object> payload = mutate("createModel", Map.of("name", "refused", "litellmModel", "openai/gpt-4.1", "apiKey", secret));

        assertThat(errors(payload)).singleElement().satisfies(e -> assertThat(e.get("code")).as("%s", e).isEqualTo(code));
        assertThat(payload.get("model")).isNull();
        assertThat(tableChecksums()).isEqualTo(sums);
        assertThat(sim.deploymentIds()).isEqualTo(upstream);
        assertThat(sim.requestCount("POST", "/model/new")).as("sent once, never retried").isEqualTo(1);
        assertNoSecretStoredOrReturned(secret);

        // the same for addDeployment
        sim.resetCounters();
        Map<String, Object> added = mutate("addDeployment", Map.of("modelId", hubModel("gpt-4o").get("id"), "litellmModel", "azure/x"));
        assertThat(errors(added)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo(code));
        assertThat(tableChecksums()).isEqualTo(sums);
        assertThat(sim.deploymentIds()).isEqualTo(upstream);
        assertThat(sim.requestCount("POST", "/model/new")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appliedAnswerLost")
    void aCreateWhoseAnswerWasLostIsFoundByItsOwnIdAndStoredAsLiteLlmHasIt(Fault fault) {
        seed(Map.of());
        sim.inject(fault, "/model/new");
        long started = System.nanoTime();

        Map<String, Object> payload = mutate("createModel", Map.of("name", "answer-lost", "litellmModel", "openai/gpt-4.1"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("inside the request timeout").isLessThan(Duration.ofSeconds(10));
        assertThat(errors(payload)).isEmpty();
        String externalId = (String) map(payload, "deployment").get("externalId");
        assertThat(sim.deploymentIds()).containsExactly(externalId);
        assertThat(sim.requestCount("POST", "/model/new")).isEqualTo(1);
        assertThat(sim.requestCount("GET", "/model/info")).as("re-read by its own id").isGreaterThanOrEqualTo(1);
        assertThat(map(payload, "model")).containsEntry("name", "answer-lost");
        assertThat(dryRunChanges()).as("the hub holds what LiteLLM holds").isEmpty();
    }

    @Test
    void aCreateWhoseOutcomeCannotBeCheckedSaysSoAndChangesNothing() {
        seed(Map.of());
        Map<String, String> sums = tableChecksums();
        // the create and every read of it are too slow: LiteLLM applies the create, the hub cannot see it in time
        sim.inject(Fault.latency(RESPONSE_TIMEOUT.multipliedBy(3)), "/model/");

        Map<String, Object> payload = mutate("createModel", Map.of("name", "unknown-outcome", "litellmModel", "openai/gpt-4.1"));

        assertThat(errors(payload)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat((String) e.get("message")).contains("next models sync").contains("externalId \"" + sim.deploymentIds().get(0) + "\"");
        });
        assertThat(tableChecksums()).isEqualTo(sums);
        sim.clearFaults();
        assertThat(dryRunChanges()).as("the next sync brings it in").extracting(c -> c.get("key")).contains("unknown-outcome");
    }

    @Test
    void invalidCreateInputsAreRefusedWithTheirPathsBeforeLiteLlmIsCalled() {
        seed(Map.of());
        Map<String, String> sums = tableChecksums();
        sim.resetCounters();
        Map<String, Object> params = new HashMap<>();
        params.put("api_key", "x");
        params.put("timeout", null);
        Map<String, Object> input = new HashMap<>();
        input.put("name", "  ");
        input.put("litellmModel", "openai/ gpt");
        input.put("apiBase", "ftp://nope");
        input.put("params", params);
        input.put("pricing", Map.of("inputCostPerToken", "0.000001", "outputCostPerMillionTokens", "2"));
        input.put("limits", Map.of("rpm", -1, "maxTokens", -5));
        input.put("mode", "Chat Mode");
        input.put("companyId", "not-a-uuid");
        input.put("externalId", "also-not-a-uuid");

        Map<String, Object> payload = mutate("createModel", input);

        assertThat(errors(payload)).extracting(e -> e.get("field")).containsExactlyInAnyOrder(
                List.of("input", "name"), List.of("input", "externalId"), List.of("input", "litellmModel"), List.of("input", "apiBase"),
                List.of("input", "params", "api_key"), List.of("input", "params", "timeout"), List.of("input", "pricing"),
                List.of("input", "limits", "maxTokens"), List.of("input", "limits", "rpm"), List.of("input", "mode"),
                List.of("input", "companyId"));
        assertThat(errors(payload)).allSatisfy(e -> assertThat(e.get("code")).isEqualTo("INVALID_INPUT"));
        assertThat(sim.requestCount()).as("LiteLLM not called").isZero();
        assertThat(tableChecksums()).isEqualTo(sums);

        Map<String, Object> prices = mutate("createModel", Map.of("name", "p", "litellmModel", "openai/gpt-4.1",
                "pricing", Map.of("inputCostPerToken", "-0.1", "outputCostPerMillionTokens", "2000000"), "params", List.of(1)));
        assertThat(errors(prices)).extracting(e -> e.get("field")).containsExactlyInAnyOrder(List.of("input", "pricing"),
                List.of("input", "params"));
        Map<String, Object> each = mutate("createModel", Map.of("name", "p", "litellmModel", "openai/gpt-4.1",
                "pricing", Map.of("inputCostPerToken", "-0.1", "outputCostPerToken", "1001")));
        assertThat(errors(each)).extracting(e -> e.get("field")).containsExactlyInAnyOrder(
                List.of("input", "pricing", "inputCostPerToken"), List.of("input", "pricing", "outputCostPerToken"));

        Map<String, Object> company = mutate("createModel", Map.of("name", "c", "litellmModel", "openai/gpt-4.1",
                "companyId", UUID.randomUUID().toString()));
        assertThat(errors(company)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("NOT_FOUND");
            assertThat(e.get("field")).isEqualTo(List.of("input", "companyId"));
        });
        assertThat(sim.requestCount()).isZero();
        assertThat(tableChecksums()).isEqualTo(sums);
    }

    // ================================================================== updateModel

    @Test
    void hubOwnedFieldsStayLocalAndWorkOnConfigModels() {
        seed(Map.of());
        String config = sim.addConfigDeployment("llama-config", Map.of("model", "ollama/llama3", "api_base", "http://10.0.4.17:11434"));
        syncModels();
        Map<String, Object> model = hubModel("llama-config");
        String company = one("SELECT id::text FROM company WHERE slug = 'ollama'");
        String other = one("INSERT INTO company (slug, name) VALUES ('meta', 'Meta') RETURNING id::text");
        sim.resetCounters();

        Map<String, Object> payload = mutate("updateModel", Map.of("id", model.get("id"), "description", "On-prem llama.",
                "enabled", false, "free", true, "companyId", other, "expectedUpdatedAt", model.get("updatedAt")));

        assertThat(errors(payload)).isEmpty();
        assertThat(map(payload, "model")).contains(entry("description", "On-prem llama."), entry("enabled", false), entry("free", true));
        assertThat(map(map(payload, "model"), "company")).containsEntry("slug", "meta");
        assertThat(sim.requestCount()).as("hub-owned only: LiteLLM untouched").isZero();
        assertThat(sim.storedParams(config)).containsEntry("model", "ollama/llama3");
        assertThat(one("SELECT company_manual FROM model WHERE name = 'llama-config'")).isEqualTo("true");
        assertThat(dryRunChanges()).as("the sync keeps a company chosen by hand").isEmpty();

        // companyId null: the model follows its providers again, as the sync assigns it
        Map<String, Object> back = mutate("updateModel", Map.of("id", model.get("id"), "companyId", nullValue(), "description", nullValue()));
        assertThat(errors(back)).isEmpty();
        assertThat(map(back, "model")).containsEntry("description", null);
        assertThat(one("SELECT company_id::text || ' ' || company_manual FROM model WHERE name = 'llama-config'"))
                .isEqualTo(company + " false");

        // a stale expectedUpdatedAt: CONFLICT, nothing changes
        Map<String, String> sums = tableChecksums();
        Map<String, Object> stale = mutate("updateModel", Map.of("id", model.get("id"), "free", false,
                "expectedUpdatedAt", model.get("updatedAt")));
        assertThat(errors(stale)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("CONFLICT");
            assertThat(e.get("field")).isEqualTo(List.of("input", "expectedUpdatedAt"));
        });
        assertThat(tableChecksums()).isEqualTo(sums);
    }

    @Test
    void liteLlmOwnedFieldsGoToEveryDeploymentOfTheModel() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1", "azure/prod-gpt41-westeu")));
        Map<String, Object> model = hubModel("gpt-4.1");
        List<String> ids = deploymentIds(model);
        sim.resetCounters();

        Map<String, Object> payload = mutate("updateModel", Map.of("id", model.get("id"), "mode", "responses", "description", "Both regions.",
                "pricing", Map.of("inputCostPerToken", "0.0000018"), "limits", Map.of("maxOutputTokens", 16000, "rpm", 250),
                "expectedUpdatedAt", model.get("updatedAt")));

        assertThat(errors(payload)).isEmpty();
        for (String id : ids) {
            assertThat(sim.requestCount("PATCH", "/model/" + id + "/update")).isEqualTo(1);
            assertThat(sim.storedParams(id)).containsEntry("rpm", 250);
            assertThat(new BigDecimal(sim.storedParams(id).get("input_cost_per_token").toString())).isEqualByComparingTo("0.0000018");
            assertThat(sim.storedInfo(id)).contains(entry("mode", "responses"), entry("max_output_tokens", 16000));
        }
        assertThat(sim.requestCount("POST", "/model/update")).isZero();
        Map<String, Object> updated = map(payload, "model");
        assertThat(updated).contains(entry("mode", "responses"), entry("description", "Both regions."));
        assertThat(map(updated, "pricing")).containsEntry("inputCostPerToken", 0.0000018).containsEntry("outputCostPerToken", 0.000008);
        assertThat(map(updated, "limits")).containsEntry("maxOutputTokens", 16000).containsEntry("rpm", 500);
        assertThat(list(updated, "deployments")).allSatisfy(d -> assertThat(map(d, "limits")).containsEntry("rpm", 250));
        assertThat(list(payload, "changedDeployments")).extracting(d -> d.get("externalId")).containsExactlyElementsOf(ids);
        assertThat(list(payload, "unchangedDeployments")).isEmpty();
        assertThat(count("SELECT count(*) FROM deployment WHERE local_write_at IS NOT NULL")).isEqualTo(2);
        assertThat(dryRunChanges()).isEmpty();
    }

    @Test
    void aConfigDeploymentMakesTheWholeUpdateReadOnlyAndNothingIsSent() {
        seed(Map.of("gpt-4.1", List.of("azure/prod-gpt41-westeu")));
        String config = sim.addConfigDeployment("gpt-4.1", Map.of("model", "openai/gpt-4.1"));
        syncModels();
        Map<String, Object> model = hubModel("gpt-4.1");
        Map<String, String> sums = tableChecksums();
        sim.resetCounters();

        Map<String, Object> payload = mutate("updateModel", Map.of("id", model.get("id"), "pricing", Map.of("inputCostPerToken", "0.000001"),
                "description", "never stored"));

        assertThat(errors(payload)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("READ_ONLY_UPSTREAM");
            assertThat((String) e.get("message")).contains(config);
        });
        assertThat(sim.requestCount()).as("no write (nor anything else) sent to LiteLLM").isZero();
        assertThat(tableChecksums()).isEqualTo(sums);

        Map<String, Object> deleted = mutate("deleteModel", Map.of("id", model.get("id")));
        assertThat(errors(deleted)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("READ_ONLY_UPSTREAM"));
        assertThat(deleted.get("deletedId")).isNull();
        Map<String, Object> removed = mutate("removeDeployment", Map.of("id", deploymentId(model, config)));
        assertThat(errors(removed)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("READ_ONLY_UPSTREAM"));
        Map<String, Object> changed = mutate("updateDeployment", Map.of("id", deploymentId(model, config), "limits", Map.of("rpm", 1)));
        assertThat(errors(changed)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("READ_ONLY_UPSTREAM"));
        assertThat(sim.requestCount()).isZero();
        assertThat(tableChecksums()).isEqualTo(sums);
        assertThat(sim.deploymentCount()).isEqualTo(2);
    }

    @Test
    void whenTheSecondOfThreeWritesFailsTheFirstIsStoredAsLiteLlmHasItAndThePayloadSaysWhichIsWhich() {
        seed(Map.of("gpt-4o-mini", List.of("openai/gpt-4o-mini", "azure/prod-gpt4o-mini-eastus", "azure/gpt-4o-mini-eu")));
        Map<String, Object> model = hubModel("gpt-4o-mini");
        List<String> ids = deploymentIds(model);
        sim.inject(Fault.rejected(400, ErrorShape.PROXY_EXCEPTION), "/model/" + ids.get(1) + "/update");
        String before = one("SELECT description FROM model WHERE name = 'gpt-4o-mini'");

        Map<String, Object> payload = mutate("updateModel", Map.of("id", model.get("id"), "limits", Map.of("tpm", 12345),
                "description", "not applied on a partial failure"));

        assertThat(errors(payload)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("UPSTREAM_REJECTED");
            assertThat((String) e.get("message")).contains(ids.get(1)).contains("applied the update to " + ids.get(0))
                    .contains("Not sent, unchanged: " + ids.get(2)).contains("hub-owned fields were not changed");
        });
        assertThat(sim.storedParams(ids.get(0))).containsEntry("tpm", 12345);
        assertThat(sim.storedParams(ids.get(1))).doesNotContainKey("tpm");
        assertThat(sim.storedParams(ids.get(2))).doesNotContainKey("tpm");
        assertThat(sim.requestCount("PATCH", "/model/" + ids.get(2) + "/update")).as("stopped at the failure").isZero();
        assertThat(list(payload, "changedDeployments")).extracting(d -> d.get("externalId")).containsExactly(ids.get(0));
        assertThat(list(payload, "unchangedDeployments")).extracting(d -> d.get("externalId")).containsExactly(ids.get(1), ids.get(2));
        assertThat(map(payload, "model")).isNotNull();
        assertThat(tpmOf(ids.get(0))).isEqualTo("12345");
        assertThat(tpmOf(ids.get(1))).isNull();
        assertThat(one("SELECT coalesce(description, 'none') FROM model WHERE name = 'gpt-4o-mini'")).isEqualTo(before == null ? "none" : before);
        sim.clearFaults();
        assertThat(dryRunChanges()).as("the hub matches LiteLLM").isEmpty();

        // a write that times out: its outcome is unknown, it is in neither list, the next sync settles it
        sim.inject(Fault.latency(RESPONSE_TIMEOUT.plusMillis(500)), "/model/" + ids.get(1) + "/update");
        Map<String, Object> timedOut = mutate("updateModel", Map.of("id", model.get("id"), "limits", Map.of("tpm", 777)));
        assertThat(errors(timedOut)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat((String) e.get("message")).contains("next models sync");
        });
        assertThat(list(timedOut, "changedDeployments")).extracting(d -> d.get("externalId")).containsExactly(ids.get(0));
        assertThat(list(timedOut, "unchangedDeployments")).extracting(d -> d.get("externalId")).containsExactly(ids.get(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyFailure")
    void anUpdateLiteLlmFailsOnChangesNothingLocally(Fault fault, String code) {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1")));
        Map<String, Object> model = hubModel("gpt-4.1");
        String id = deploymentIds(model).get(0);
        Map<String, String> sums = tableChecksums();
        String secret = secret();
        sim.inject(fault, "/model/" + id + "/update");

        Map<String, Object> payload = mutate("updateModel", Map.of("id", model.get("id"), "pricing", Map.of("inputCostPerToken", "0.000003")));
        assertThat(errors(payload)).singleElement().satisfies(e -> assertThat(e.get("code")).as("%s", e).isEqualTo(code));
        assertThat(payload.get("model")).isNull();
        assertThat(tableChecksums()).isEqualTo(sums);

        Map<String, Object> deployment = mutate("updateDeployment", Map.of("id", deploymentId(model, id), "apiKey", secret));
        assertThat(errors(deployment)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo(code));
        assertThat(tableChecksums()).isEqualTo(sums);
        assertThat(sim.requestCount("PATCH", "/model/" + id + "/update")).as("each sent once").isEqualTo(2);
        assertNoSecretStoredOrReturned(secret);
    }

    /** Every failure mode; a lost answer is UPSTREAM_UNAVAILABLE whether LiteLLM applied the write or not. */
    static Stream<Arguments> everyFailure() {
        return Stream.concat(notApplied(), appliedAnswerLost().map(a -> Arguments.of(a.get()[0], "UPSTREAM_UNAVAILABLE")));
    }

    @Test
    void aProxyWithoutThePatchRouteIsUpdatedThroughModelUpdateAndWhatItIgnoresIsReported() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1")));
        sim.disableRoute("PATCH /model/{id}/update");
        Map<String, Object> model = hubModel("gpt-4.1");
        String id = deploymentIds(model).get(0);
        sim.resetCounters();

        Map<String, Object> payload = mutate("updateModel", Map.of("id", model.get("id"),
                "pricing", Map.of("outputCostPerMillionTokens", "7"), "limits", Map.of("rpm", 42, "maxTokens", 4096)));

        assertThat(sim.requestCount("PATCH", "/model/" + id + "/update")).isEqualTo(1);
        assertThat(sim.requestCount("POST", "/model/update")).isEqualTo(1);
        assertThat(sim.storedParams(id)).containsEntry("rpm", 42);
        assertThat(new BigDecimal(sim.storedParams(id).get("output_cost_per_token").toString())).isEqualByComparingTo("0.000007");
        // POST /model/update ignores model_info: LiteLLM keeps its max_tokens, and the payload says so
        assertThat(sim.storedInfo(id)).doesNotContainKey("max_tokens");
        assertThat(errors(payload)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("UPSTREAM_REJECTED");
            assertThat(e.get("field")).isEqualTo(List.of("input", "limits", "maxTokens"));
            assertThat((String) e.get("message")).contains("reports maxTokens = 32768, not 4096").contains("ignore model_info");
        });
        Map<String, Object> updated = map(payload, "model");
        assertThat(map(updated, "limits")).containsEntry("rpm", 42).containsEntry("maxTokens", 32768);
        assertThat(map(updated, "pricing")).containsEntry("outputCostPerMillionTokens", 7);
        assertThat(dryRunChanges()).isEmpty();

        // nor can it clear a price: reported, the hub shows the custom price LiteLLM kept
        Map<String, Object> cleared = mutate("updateModel", Map.of("id", model.get("id"), "pricing", nullValue()));
        assertThat(errors(cleared)).extracting(e -> e.get("code")).containsOnly("UPSTREAM_REJECTED");
        assertThat(map(map(cleared, "model"), "pricing")).containsEntry("outputCostPerMillionTokens", 7);

        // with the route, a null price removes the custom price: LiteLLM's cost map applies again
        sim.enableAllRoutes();
        Map<String, Object> patched = mutate("updateModel", Map.of("id", model.get("id"), "pricing", Map.of("outputCostPerToken", nullValue())));
        assertThat(errors(patched)).isEmpty();
        assertThat(sim.storedParams(id)).doesNotContainKey("output_cost_per_token").containsEntry("rpm", 42);
        assertThat(map(map(patched, "model"), "pricing")).containsEntry("outputCostPerToken", 0.000008);
    }

    @Test
    void invalidUpdatesAreRefusedWithTheirPaths() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1")));
        Map<String, Object> model = hubModel("gpt-4.1");
        Map<String, String> sums = tableChecksums();
        sim.resetCounters();
        Map<String, Object> limits = new HashMap<>();
        limits.put("rpm", null);
        limits.put("tpm", -3);
        Map<String, Object> input = new HashMap<>();
        input.put("id", model.get("id"));
        input.put("mode", null);
        input.put("enabled", null);
        input.put("free", null);
        input.put("limits", limits);
        input.put("pricing", Map.of("inputCostPerToken", "0.000000000000000000001"));
        Map<String, Object> payload = mutate("updateModel", input);
        assertThat(errors(payload)).extracting(e -> e.get("field")).containsExactlyInAnyOrder(List.of("input", "mode"),
                List.of("input", "enabled"), List.of("input", "free"), List.of("input", "limits", "rpm"), List.of("input", "limits", "tpm"),
                List.of("input", "pricing", "inputCostPerToken"));
        Map<String, Object> noLimits = mutate("updateModel", Map.of("id", model.get("id"), "limits", nullValue()));
        assertThat(errors(noLimits)).extracting(e -> e.get("field")).containsExactly(List.of("input", "limits"));
        Map<String, Object> unknown = mutate("updateModel", Map.of("id", UUID.randomUUID().toString(), "free", true));
        assertThat(errors(unknown)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("NOT_FOUND"));
        Map<String, Object> badId = mutate("updateModel", Map.of("id", "nope"));
        assertThat(errors(badId)).singleElement().satisfies(e -> assertThat(e.get("field")).isEqualTo(List.of("input", "id")));
        Map<String, Object> deployment = mutate("updateDeployment", Map.of("id", deploymentId(model, deploymentIds(model).get(0)),
                "apiBase", nullValue(), "params", Map.of("model", "x"), "litellmModel", " "));
        assertThat(errors(deployment)).extracting(e -> e.get("field")).containsExactlyInAnyOrder(List.of("input", "apiBase"),
                List.of("input", "params", "model"), List.of("input", "litellmModel"));
        assertThat(sim.requestCount()).isZero();
        assertThat(tableChecksums()).isEqualTo(sums);
    }

    @Test
    void twoConcurrentUpdatesOfOneModelBothLand() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1", "azure/prod-gpt41-westeu")));
        Map<String, Object> model = hubModel("gpt-4.1");
        List<String> ids = deploymentIds(model);
        sim.inject(Fault.latency(Duration.ofMillis(50)), "/model/");

        List<Map<String, Object>> payloads = concurrently(
                () -> mutate("updateModel", Map.of("id", model.get("id"), "pricing", Map.of("inputCostPerToken", "0.0000011"))),
                () -> mutate("updateModel", Map.of("id", model.get("id"), "limits", Map.of("tpm", 5000), "description", "both")));

        assertThat(payloads).allSatisfy(p -> assertThat(errors(p)).isEmpty());
        for (String id : ids) {
            assertThat(sim.storedParams(id)).containsEntry("tpm", 5000);
            assertThat(new BigDecimal(sim.storedParams(id).get("input_cost_per_token").toString())).isEqualByComparingTo("0.0000011");
        }
        Map<String, Object> after = hubModel("gpt-4.1");
        assertThat(after).containsEntry("description", "both");
        assertThat(map(after, "pricing")).containsEntry("inputCostPerToken", 0.0000011);
        assertThat(map(after, "limits")).containsEntry("tpm", 10000);
        assertThat(list(after, "deployments")).allSatisfy(d -> {
            assertThat(map(d, "limits")).containsEntry("tpm", 5000);
            assertThat(map(d, "pricing")).containsEntry("inputCostPerToken", 0.0000011);
        });
        sim.clearFaults();
        assertThat(dryRunChanges()).isEmpty();
    }

    @Test
    void twoConcurrentUpdatesFromTheSameVersionOneLandsTheOtherIsAConflictThatChangedNothing() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1")));
        Map<String, Object> model = hubModel("gpt-4.1");
        String id = deploymentIds(model).get(0);
        sim.inject(Fault.latency(Duration.ofMillis(50)), "/model/");

        List<Map<String, Object>> payloads = concurrently(
                () -> mutate("updateModel", Map.of("id", model.get("id"), "pricing", Map.of("inputCostPerToken", "0.0000021"),
                        "expectedUpdatedAt", model.get("updatedAt"))),
                () -> mutate("updateModel", Map.of("id", model.get("id"), "pricing", Map.of("inputCostPerToken", "0.0000022"),
                        "expectedUpdatedAt", model.get("updatedAt"))));

        List<Map<String, Object>> landed = payloads.stream().filter(p -> errors(p).isEmpty()).toList();
        List<Map<String, Object>> refused = payloads.stream().filter(p -> !errors(p).isEmpty()).toList();
        assertThat(landed).hasSize(1);
        assertThat(refused).singleElement().satisfies(p -> {
            assertThat(errors(p)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("CONFLICT"));
            assertThat(p.get("model")).isNull();
        });
        Object winner = map(map(landed.get(0), "model"), "pricing").get("inputCostPerToken");
        assertThat(new BigDecimal(sim.storedParams(id).get("input_cost_per_token").toString()))
                .as("LiteLLM got only the winner's write").isEqualByComparingTo(new BigDecimal(winner.toString()));
        assertThat(sim.requestCount("PATCH", "/model/" + id + "/update")).isEqualTo(1);
        assertThat(map(hubModel("gpt-4.1"), "pricing")).containsEntry("inputCostPerToken", winner);
    }

    // ================================================================== deleteModel

    @Test
    void deleteModelRemovesEveryDeploymentFromLiteLlmThenTombstonesTheModel() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1", "azure/prod-gpt41-westeu"), "o3", List.of("openai/o3")));
        Map<String, Object> model = hubModel("gpt-4.1");
        List<String> ids = deploymentIds(model);

        Map<String, Object> payload = mutate("deleteModel", Map.of("id", model.get("id")));

        assertThat(errors(payload)).isEmpty();
        assertThat(payload.get("deletedId")).isEqualTo(model.get("id"));
        assertThat(sim.deploymentIds()).doesNotContainAnyElementsOf(ids).hasSize(1);
        assertThat(sim.requestCount("POST", "/model/delete")).isEqualTo(2);
        assertThat(adminModelOrNull("gpt-4.1")).as("gone for admins too").isNull();
        assertThat(count("SELECT count(*) FROM model WHERE name = 'gpt-4.1' AND deleted_at IS NOT NULL AND local_write_at IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM deployment WHERE deleted_at IS NOT NULL")).isEqualTo(2);
        assertThat(dryRunChanges()).isEmpty();

        Map<String, Object> again = mutate("deleteModel", Map.of("id", model.get("id")));
        assertThat(errors(again)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("NOT_FOUND"));

        // the name can be created again
        Map<String, Object> recreated = mutate("createModel", Map.of("name", "gpt-4.1", "litellmModel", "openai/gpt-4.1"));
        assertThat(errors(recreated)).isEmpty();
        assertThat(map(recreated, "model").get("id")).isNotEqualTo(model.get("id"));
        assertThat(list(map(recreated, "model"), "deployments")).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyFailure")
    void aDeleteLiteLlmFailsOnChangesNothingLocally(Fault fault, String code) {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1", "azure/prod-gpt41-westeu")));
        Map<String, Object> model = hubModel("gpt-4.1");
        Map<String, String> sums = tableChecksums();
        sim.inject(fault, "/model/delete");

        Map<String, Object> payload = mutate("deleteModel", Map.of("id", model.get("id")));
        assertThat(errors(payload)).singleElement().satisfies(e -> assertThat(e.get("code")).as("%s", e).isEqualTo(code));
        assertThat(payload.get("deletedId")).isNull();
        // the other deployment: with a lost answer, LiteLLM did delete the first one
        Map<String, Object> removed = mutate("removeDeployment", Map.of("id", deploymentId(model, deploymentIds(model).get(1))));
        assertThat(errors(removed)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo(code));
        assertThat(tableChecksums()).isEqualTo(sums);
        assertThat(sim.requestCount("POST", "/model/delete")).as("each sent once").isEqualTo(2);
    }

    @Test
    void aDeleteThatFailsPartWayRemovesWhatLiteLlmDeletedAndKeepsTheModel() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1", "azure/prod-gpt41-westeu")));
        Map<String, Object> model = hubModel("gpt-4.1");
        List<String> ids = deploymentIds(model);
        sim.failAfter(1, Fault.serverErrorJson(), "/model/delete");

        Map<String, Object> payload = mutate("deleteModel", Map.of("id", model.get("id")));

        assertThat(errors(payload)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat((String) e.get("message")).contains("applied the delete to " + ids.get(0)).contains("the model stays");
        });
        assertThat(sim.deploymentIds()).containsExactly(ids.get(1));
        Map<String, Object> after = hubModel("gpt-4.1");
        assertThat(deploymentIds(after)).containsExactly(ids.get(1));
        sim.clearFaults();
        assertThat(dryRunChanges()).isEmpty();
    }

    // ================================================================== addDeployment

    @Test
    void addDeploymentJoinsTheModelAndRederivesIt() {
        seed(Map.of("claude-3-5-haiku", List.of("anthropic/claude-3-5-haiku-20241022")));
        Map<String, Object> model = hubModel("claude-3-5-haiku");
        String secret = secret();

        Map<String, Object> payload = mutate("addDeployment", Map.of("modelId", model.get("id"),
                "litellmModel", "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
                "params", Map.of("aws_region_name", "eu-central-1", "aws_session_token", secret),
                "pricing", Map.of("inputCostPerToken", "0.0000007"), "limits", Map.of("tpm", 1000)));

        assertThat(errors(payload)).isEmpty();
        String externalId = (String) map(payload, "deployment").get("externalId");
        assertThat(sim.modelName(externalId)).isEqualTo("claude-3-5-haiku");
        assertThat(sim.storedParams(externalId)).containsEntry("aws_session_token", secret).containsEntry("tpm", 1000);
        Map<String, Object> updated = map(payload, "model");
        assertThat(updated.get("id")).isEqualTo(model.get("id"));
        assertThat(list(updated, "deployments")).hasSize(2);
        assertThat(map(updated, "pricing")).as("the lowest price of the group").containsEntry("inputCostPerToken", 0.0000007);
        assertThat(map(updated, "company")).containsEntry("slug", "anthropic");
        assertThat(map(map(payload, "deployment"), "params").get("aws_session_token")).asString().contains("****").doesNotContain(secret);
        assertNoSecretStoredOrReturned(secret);
        assertThat(dryRunChanges()).isEmpty();

        Map<String, Object> unknown = mutate("addDeployment", Map.of("modelId", UUID.randomUUID().toString(), "litellmModel", "openai/x"));
        assertThat(errors(unknown)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("NOT_FOUND");
            assertThat(e.get("field")).isEqualTo(List.of("input", "modelId"));
        });
    }

    // ================================================================== updateDeployment

    @Test
    void updateDeploymentWritesOneDeploymentAndNeverSendsAMaskedSecretBack() {
        seed(Map.of());
        String token = secret();
        String id = sim.addDbDeployment("nova", Map.of("model", "bedrock/amazon.nova-lite-v1:0", "aws_region_name", "us-east-1",
                "aws_session_token", token), Map.of());
        syncModels();
        Map<String, Object> model = hubModel("nova");
        Map<String, Object> stored = list(model, "deployments").get(0);
        Object masked = map(stored, "params").get("aws_session_token");
        assertThat(masked).asString().contains("****");
        String newKey = secret();

        // the params as the hub shows them, edited and sent back: the masked token is not written over the real one
        Map<String, Object> params = new LinkedHashMap<>(map(stored, "params"));
        params.remove("model");
        params.put("aws_region_name", "us-west-2");
        Map<String, Object> payload = mutate("updateDeployment", Map.of("id", stored.get("id"), "litellmModel", "bedrock/amazon.nova-pro-v1:0",
                "apiKey", newKey, "params", params, "pricing", Map.of("outputCostPerToken", "0.000003"),
                "expectedUpdatedAt", stored.get("updatedAt")));

        assertThat(errors(payload)).isEmpty();
        assertThat(sim.storedParams(id)).contains(entry("model", "bedrock/amazon.nova-pro-v1:0"), entry("aws_region_name", "us-west-2"),
                entry("aws_session_token", token), entry("api_key", newKey));
        Map<String, Object> deployment = map(payload, "deployment");
        assertThat(deployment).containsEntry("litellmModel", "bedrock/amazon.nova-pro-v1:0");
        assertThat(map(deployment, "pricing")).containsEntry("outputCostPerToken", 0.000003);
        assertThat(map(deployment, "params")).doesNotContainKey("api_key");
        assertThat(map(map(payload, "model"), "pricing")).containsEntry("outputCostPerToken", 0.000003);
        assertNoSecretStoredOrReturned(token, newKey);
        assertThat(dryRunChanges()).isEmpty();

        Map<String, String> sums = tableChecksums();
        Map<String, Object> stale = mutate("updateDeployment", Map.of("id", stored.get("id"), "limits", Map.of("rpm", 5),
                "expectedUpdatedAt", stored.get("updatedAt")));
        assertThat(errors(stale)).singleElement().satisfies(e -> assertThat(e.get("code")).isEqualTo("CONFLICT"));
        assertThat(sim.storedParams(id)).doesNotContainKey("rpm");
        assertThat(tableChecksums()).isEqualTo(sums);
    }

    // ================================================================== removeDeployment

    @Test
    void removeDeploymentDeletesOneAndRefusesTheLastOne() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1", "azure/prod-gpt41-westeu")));
        Map<String, Object> model = hubModel("gpt-4.1");
        List<String> ids = deploymentIds(model);
        String azure = list(model, "deployments").stream().filter(d -> "azure".equals(d.get("provider")))
                .map(d -> (String) d.get("externalId")).findFirst().orElseThrow();

        Map<String, Object> payload = mutate("removeDeployment", Map.of("id", deploymentId(model, azure)));

        assertThat(errors(payload)).isEmpty();
        assertThat(payload.get("deletedId")).isEqualTo(deploymentId(model, azure));
        assertThat(sim.hasDeployment(azure)).isFalse();
        Map<String, Object> after = hubModel("gpt-4.1");
        assertThat(deploymentIds(after)).containsExactly(ids.stream().filter(i -> !i.equals(azure)).findFirst().orElseThrow());
        assertThat(map(after, "company")).containsEntry("slug", "openai");
        assertThat(count("SELECT count(*) FROM deployment WHERE external_id = '" + azure + "' AND deleted_at IS NOT NULL")).isEqualTo(1);
        assertThat(dryRunChanges()).isEmpty();

        Map<String, String> sums = tableChecksums();
        sim.resetCounters();
        String last = deploymentIds(after).get(0);
        Map<String, Object> refused = mutate("removeDeployment", Map.of("id", deploymentId(after, last)));
        assertThat(errors(refused)).singleElement().satisfies(e -> {
            assertThat(e.get("code")).isEqualTo("CONFLICT");
            assertThat((String) e.get("message")).contains("deleteModel");
        });
        assertThat(sim.requestCount()).isZero();
        assertThat(tableChecksums()).isEqualTo(sums);
    }

    // ================================================================== the local write fails after LiteLLM accepted

    @Test
    void whenTheHubCannotStoreWhatLiteLlmAcceptedThePayloadSaysSoAndTheNextSyncRepairsIt() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1")));
        Map<String, Object> model = hubModel("gpt-4.1");
        String id = deploymentIds(model).get(0);
        Map<String, String> sums = tableChecksums();
        db.sql("CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$")
                .then().block();
        db.sql("CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON deployment FOR EACH ROW EXECUTE FUNCTION test_refuse()").then().block();
        Map<String, Object> created;
        Map<String, Object> updated;
        try {
            created = mutate("createModel", Map.of("name", "stored-by-the-sync", "litellmModel", "openai/o3", "description", "lost"));
            updated = mutate("updateModel", Map.of("id", model.get("id"), "limits", Map.of("rpm", 33)));
        } finally {
            db.sql("DROP TRIGGER test_refuse ON deployment").then().block();
            db.sql("DROP FUNCTION test_refuse()").then().block();
        }
        for (Map<String, Object> payload : List.of(created, updated)) {
            assertThat(errors(payload)).singleElement().satisfies(e -> {
                assertThat(e.get("code")).isEqualTo("LOCAL_WRITE_FAILED");
                assertThat((String) e.get("message")).contains("LiteLLM accepted the change").contains("next models sync");
            });
            assertThat(payload.get("model")).isNull();
        }
        assertThat((String) errors(created).get(0).get("message")).contains("hub-owned fields").contains("externalId");
        assertThat(tableChecksums()).as("the transaction rolled back").isEqualTo(sums);
        assertThat(sim.storedParams(id)).as("LiteLLM has the change").containsEntry("rpm", 33);
        assertThat(sim.deploymentCount()).isEqualTo(2);

        syncModels();
        assertThat(map(hubModel("gpt-4.1"), "limits")).containsEntry("rpm", 33);
        assertThat(hubModel("stored-by-the-sync")).containsEntry("description", null);
    }

    // ================================================================== secrets

    @Test
    void secretsAppearInNoResponseStoredRowOrLogLine() {
        seed(Map.of("gpt-4.1", List.of("openai/gpt-4.1")));
        String key = secret();
        String header = secret();
        String rotated = secret();
        try (CapturedLogs logs = new CapturedLogs()) {
            Map<String, Object> created = mutate("createModel", Map.of("name", "secretive", "litellmModel", "azure/secretive", "apiKey", key,
                    "params", Map.of("extra_headers", Map.of("X-Gateway-Token", header), "client_secret", key)));
            assertThat(errors(created)).isEmpty();
            String deploymentId = (String) map(created, "deployment").get("id");
            mutate("updateDeployment", Map.of("id", deploymentId, "apiKey", rotated));
            // LiteLLM failing and refusing, with the secret in the request
            sim.inject(Fault.rejected(422, ErrorShape.VALIDATION), "/model/");
            mutate("updateDeployment", Map.of("id", deploymentId, "apiKey", rotated + "x"));
            mutate("createModel", Map.of("name", "secretive-2", "litellmModel", "azure/secretive", "apiKey", key));
            sim.clearFaults().inject(Fault.serverErrorJson(), "/model/");
            mutate("updateDeployment", Map.of("id", deploymentId, "params", Map.of("vertex_credentials", key)));
            sim.clearFaults();
            assertThat(logs.lines()).as("DEBUG logging of the client is on, so this check means something")
                    .anySatisfy(line -> assertThat(line).contains("/model/new"));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(key));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(header));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(rotated));
        }
        assertNoSecretStoredOrReturned(key, header, rotated);
    }

    // ================================================================== helpers

    private static String secret() {
        return "az-" + UUID.randomUUID();
    }

    private static Object nullValue() {
        return NULL;
    }

    /** Map.of refuses nulls: this marker becomes a JSON null in the variables. */
    private static final Object NULL = new Object();

    private static Object withNulls(Object value) {
        if (value == NULL) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), withNulls(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ModelMutationTest::withNulls).toList();
        }
        return value;
    }

    private static final Map<String, String> INPUT_TYPES = Map.of("createModel", "CreateModelInput", "updateModel", "UpdateModelInput",
            "deleteModel", "DeleteModelInput", "addDeployment", "AddDeploymentInput", "updateDeployment", "UpdateDeploymentInput",
            "removeDeployment", "RemoveDeploymentInput");

    /** Runs a mutation as an admin; answers its payload (no top-level errors allowed). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> mutate(String field, Map<String, Object> input) {
        String selection = field.startsWith("delete") || field.startsWith("remove") ? DELETE_PAYLOAD : MODEL_PAYLOAD;
        String document = "mutation($input: " + INPUT_TYPES.get(field) + "!) { " + field + "(input: $input) { " + selection + " } }";
        Map<String, Object> data = graphql(document, Map.of("input", withNulls(input)));
        return (Map<String, Object>) data.get(field);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> graphql(String document, Map<String, Object> variables) {
        String body = http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(LocalIssuer.adminToken()))
                .bodyValue(Map.of("query", document, "variables", variables))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        bodies.add(body);
        Map<String, Object> response = JSON.readValue(body, Map.class);
        assertThat(response.get("errors")).as(body).isNull();
        return (Map<String, Object>) response.get("data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }

    private static List<Map<String, Object>> errors(Map<String, Object> payload) {
        return list(payload, "userErrors");
    }

    private Map<String, Object> hubModel(String name) {
        Map<String, Object> model = adminModelOrNull(name);
        assertThat(model).as("model %s", name).isNotNull();
        return model;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> adminModelOrNull(String name) {
        return (Map<String, Object>) graphql("query($name: String) { model(name: $name) { " + MODEL + " } }", Map.of("name", name)).get("model");
    }

    private static List<String> deploymentIds(Map<String, Object> model) {
        return list(model, "deployments").stream().map(d -> (String) d.get("externalId")).sorted().toList();
    }

    private static String deploymentId(Map<String, Object> model, String externalId) {
        return list(model, "deployments").stream().filter(d -> externalId.equals(d.get("externalId")))
                .map(d -> (String) d.get("id")).findFirst().orElseThrow();
    }

    private String tpmOf(String externalId) {
        return one("SELECT tpm::text FROM deployment WHERE external_id = '" + externalId + "'");
    }

    /** DB deployments per model name (each with api_key an env reference), then a models sync. */
    private void seed(Map<String, List<String>> models) {
        models.forEach((name, litellmModels) -> litellmModels.forEach(litellmModel -> sim.addDbDeployment(name,
                Map.of("model", litellmModel, "api_key", "os.environ/PROVIDER_API_KEY"), Map.of())));
        syncModels();
        sim.resetCounters();
    }

    private void syncModels() {
        String run = startSync(false);
        assertThat(awaitRun(run).get("status")).isEqualTo("SUCCEEDED");
    }

    /** The changes a models dry run plans now: empty when the hub holds exactly what LiteLLM holds. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> dryRunChanges() {
        Map<String, Object> run = awaitRun(startSync(true));
        assertThat(run.get("status")).isEqualTo("SUCCEEDED");
        return ((List<Map<String, Object>>) run.get("changes")).stream()
                .filter(c -> !"UNCHANGED".equals(c.get("action"))).toList();
    }

    @SuppressWarnings("unchecked")
    private String startSync(boolean dryRun) {
        Map<String, Object> payload = (Map<String, Object>) graphql(
                "mutation($d: Boolean) { syncModels(input: {dryRun: $d}) { run { id } userErrors { code } } }",
                Map.of("d", dryRun)).get("syncModels");
        assertThat(errors(payload)).isEmpty();
        return (String) map(payload, "run").get("id");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitRun(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Object> run = (Map<String, Object>) graphql(
                    "query($id: ID!) { syncRun(id: $id) { status error { message } changes { entity key action fields { field before after } } } }",
                    Map.of("id", id)).get("syncRun");
            if (!"RUNNING".equals(run.get("status"))) {
                return run;
            }
            assertThat(System.nanoTime()).as("run %s still running", id).isLessThan(deadline);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private String one(String sql) {
        return db.sql(sql).map(r -> Optional.ofNullable(r.get(0)).map(String::valueOf)).one().block().orElse(null);
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> ((Number) r.get(0)).longValue()).one().block();
    }

    /** Checksums of the catalog tables with the timestamps a sync or a read-back may move left out. */
    private Map<String, String> tableChecksumsWithoutTimes() {
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put("model", one("SELECT md5(string_agg(concat_ws('|', id, name, company_id, description, mode, input_cost_per_token, "
                + "output_cost_per_token, max_tokens, rpm, tpm, enabled, free, status, external_id), ',' ORDER BY id)) FROM model"));
        sums.put("deployment", one("SELECT md5(string_agg(concat_ws('|', id, model_id, external_id, litellm_model, params::text, "
                + "input_cost_per_token, rpm, status), ',' ORDER BY id)) FROM deployment"));
        return sums;
    }

    /** Neither a response of this test nor any stored row holds one of these values. */
    private void assertNoSecretStoredOrReturned(String... secrets) {
        List<String> stored = new ArrayList<>();
        for (String table : List.of("company", "model", "deployment", "budget", "sync_run")) {
            stored.addAll(db.sql("SELECT t::text AS row FROM " + table + " t").map(r -> r.get("row", String.class)).all().collectList().block());
        }
        for (String secret : secrets) {
            assertThat(bodies).as("responses").noneSatisfy(body -> assertThat(body).contains(secret));
            assertThat(stored).as("stored rows").noneSatisfy(row -> assertThat(row).contains(secret));
        }
    }

    @SafeVarargs
    private static List<Map<String, Object>> concurrently(java.util.function.Supplier<Map<String, Object>>... calls) {
        List<CompletableFuture<Map<String, Object>>> futures = Stream.of(calls).map(CompletableFuture::supplyAsync).toList();
        return futures.stream().map(f -> {
            try {
                return f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Every log line of the application while open, with the LiteLLM client and WebClient at DEBUG. */
    private static final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final List<Logger> raised = List.of((Logger) LoggerFactory.getLogger("io.oneuihub"),
                (Logger) LoggerFactory.getLogger("org.springframework.web.reactive.function.client"),
                (Logger) LoggerFactory.getLogger("org.springframework.graphql"));
        private final Map<Logger, Level> levels = new HashMap<>();

        CapturedLogs() {
            raised.forEach(logger -> {
                levels.put(logger, logger.getLevel());
                logger.setLevel(Level.DEBUG);
            });
            start();
            root.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage()));
        }

        List<String> lines() {
            return lines;
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
            levels.forEach(Logger::setLevel);
        }
    }
}
