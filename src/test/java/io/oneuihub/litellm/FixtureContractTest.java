package io.oneuihub.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.oneuihub.budget.ModelBudget;
import io.oneuihub.catalog.ModelCapability;
import io.oneuihub.litellm.LiteLlmException.Category;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every fixture listed in fixtures/_index.json goes through the decoder: success bodies must decode to the
 * expected records, error bodies to the expected category, request bodies must be what the client sends.
 * A fixture in the index without a check here fails the build.
 */
class FixtureContractTest {

    private static final String DIR = "/litellm/fixtures/";
    private final ErrorDecoder errors = new ErrorDecoder(new Secrets(null));
    private final Map<String, Consumer<byte[]>> checks = new HashMap<>();

    FixtureContractTest() {
        models();
        budgets();
        customers();
        usersAndTeams();
        spendAndHealth();
        genericErrors();
    }

    @TestFactory
    List<DynamicTest> everyIndexedFixtureDecodes() {
        return indexedFiles().stream()
                .map(file -> DynamicTest.dynamicTest(file, () -> {
                    Consumer<byte[]> check = checks.get(file);
                    if (check == null) {
                        fail("fixture " + file + " is in _index.json but no contract check covers it");
                    }
                    check.accept(read(file));
                }))
                .toList();
    }

    @Test
    void everyCheckNamesAnIndexedFixture() {
        assertThat(indexedFiles()).containsAll(checks.keySet());
    }

    // ------------------------------------------------------------------ models

    private void models() {
        ok("model_info.200_list.json", body -> {
            List<LiteLlmDeployment> rows = WireDecoder.deployments(body);
            assertThat(rows).hasSize(7);
            LiteLlmDeployment gpt4o = byId(rows, "7c2fc07fa518f9300819f001777c6c6c31008c322aa63a3e941325995861dde8");
            assertThat(gpt4o.modelName()).isEqualTo("gpt-4o");
            assertThat(gpt4o.provider()).isEqualTo("openai");
            assertThat(gpt4o.mode()).isEqualTo("chat");
            assertThat(gpt4o.inputCostPerToken()).isEqualByComparingTo("0.0000025");
            assertThat(gpt4o.inputCostPerToken().toString()).isEqualTo("0.0000025"); // exact, not 2.4999999e-06
            assertThat(gpt4o.outputCostPerToken()).isEqualByComparingTo("0.00001");
            assertThat(gpt4o.maxInputTokens()).isEqualTo(128000);
            assertThat(gpt4o.maxOutputTokens()).isEqualTo(16384);
            assertThat(gpt4o.rpm()).isEqualTo(500L);
            assertThat(gpt4o.tpm()).isEqualTo(200000L);
            assertThat(gpt4o.editable()).isFalse();
            assertThat(gpt4o.capabilities()).containsExactlyInAnyOrder(ModelCapability.VISION, ModelCapability.FUNCTION_CALLING,
                    ModelCapability.PROMPT_CACHING, ModelCapability.RESPONSE_SCHEMA, ModelCapability.PDF_INPUT);

            LiteLlmDeployment azure = byId(rows, "7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20");
            assertThat(azure.editable()).isTrue();
            assertThat(azure.provider()).isEqualTo("azure");
            assertThat(azure.litellmModel()).isEqualTo("azure/prod-gpt4o-mini-eastus");
            assertThat(azure.params()).containsEntry("api_base", "https://contoso-eastus.openai.azure.com/");
            assertThat(azure.createdAt()).isEqualTo(OffsetDateTime.parse("2025-11-03T09:15:42.118Z"));
            assertThat(azure.updatedAt()).isEqualTo(OffsetDateTime.parse("2025-11-04T14:02:09.530Z"));

            LiteLlmDeployment haiku = byId(rows, "e4a1f6b2-93c7-4d58-a0e1-6b2c8d4f7a13");
            assertThat(haiku.params().get("aws_session_token")).satisfies(v -> assertThat(Secrets.isMasked(v)).isTrue());
            assertThat(haiku.params()).doesNotContainKey("api_key");

            // not in LiteLLM's cost map: no litellm_provider, so the provider comes from the model prefix
            LiteLlmDeployment coder = byId(rows, "5f0e2a7c-1b3d-4c6e-8f9a-0b1c2d3e4f5a");
            assertThat(coder.provider()).isEqualTo("ollama_chat");
            assertThat(coder.mode()).isNull();
            assertThat(coder.maxInputTokens()).isNull();
            assertThat(coder.inputCostPerToken()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(coder.capabilities()).isEmpty();

            LiteLlmDeployment embedding = rows.stream().filter(d -> "text-embedding-3-small".equals(d.modelName())).findFirst().orElseThrow();
            assertThat(embedding.mode()).isEqualTo("embedding");
            assertThat(embedding.maxOutputTokens()).isNull();
        });
        ok("model_info.200_by_litellm_model_id.json", body -> {
            assertThat(WireDecoder.deployments(body)).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo("7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20");
                assertThat(d.modelName()).isEqualTo("gpt-4o-mini");
                assertThat(d.editable()).isTrue();
            });
        });
        error("model_info.400_unknown_litellm_model_id.json", 400, Category.NOT_FOUND, "not found on litellm proxy");
        ok("model_info_v2.200_page1.json", body -> {
            DeploymentPage page = WireDecoder.deploymentPage(body, 1);
            assertThat(page.pageNumber()).isEqualTo(1);
            assertThat(page.totalPages()).isEqualTo(3);
            assertThat(page.totalCount()).isEqualTo(7);
            assertThat(page.last()).isFalse();
            assertThat(page.deployments()).extracting(LiteLlmDeployment::modelName).containsExactly("claude-sonnet", "claude-haiku", "gpt-4o");
        });
        ok("model_info_v2.200_unpaginated_legacy.json", body -> {
            DeploymentPage page = WireDecoder.deploymentPage(body, 1);
            assertThat(page.totalPages()).isNull();
            assertThat(page.last()).isTrue();
            assertThat(page.deployments()).extracting(LiteLlmDeployment::id)
                    .containsExactly("7c2fc07fa518f9300819f001777c6c6c31008c322aa63a3e941325995861dde8", "7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20");
        });
        ok("model_group_info.200.json", body -> {
            List<LiteLlmModelGroup> groups = WireDecoder.modelGroups(body);
            assertThat(groups).extracting(LiteLlmModelGroup::name).containsExactly("gpt-4o", "local-coder");
            LiteLlmModelGroup gpt = groups.get(0);
            assertThat(gpt.maxInputTokens()).isEqualTo(128000); // sent as 128000.0
            assertThat(gpt.providers()).containsExactly("openai");
            assertThat(gpt.capabilities()).contains(ModelCapability.PARALLEL_FUNCTION_CALLING, ModelCapability.VISION);
            assertThat(groups.get(1).maxInputTokens()).isNull();
        });
        request("model_new.request.json", RequestBodies.newDeployment(new NewDeployment("2d5f8a90-4c1e-4b7a-9e3f-6a8b0c2d4e6f",
                "gpt-4o-mini",
                Map.of("model", "azure/prod-gpt4o-mini-westeu", "api_key", "os.environ/AZURE_WESTEU_API_KEY",
                        "api_base", "https://contoso-westeu.openai.azure.com/", "api_version", "2024-10-21", "rpm", 600, "tpm", 150000),
                Map.of("base_model", "azure/gpt-4o-mini", "description", "EU data residency"))));
        ok("model_new.200.json", body -> assertThat(WireDecoder.storedModelId(body)).isEqualTo("2d5f8a90-4c1e-4b7a-9e3f-6a8b0c2d4e6f"));
        error("model_new.403_not_admin.json", 403, Category.REJECTED, "User does not have permission");
        error("model_new.500_store_model_in_db_off.json", 500, Category.REJECTED, "STORE_MODEL_IN_DB");
        // a generic DB failure; the client turns it into CONFLICT when the supplied id exists (see client tests)
        error("model_new.500_db_write_failed.json", 500, Category.UNAVAILABLE, "Failed to add model to db");
        error("model_new.400_duplicate_id_legacy.json", 400, Category.CONFLICT, "Unique constraint failed");
        error("model_new.422_missing_model.json", 422, Category.REJECTED, "body.litellm_params.model: Field required");
        // the legacy route: our body always carries model_info.id and litellm_params
        requestContains("model_update.request.json", RequestBodies.legacyDeploymentUpdate(RequestBodies.deploymentUpdate(
                "7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20", new DeploymentUpdate(null, Map.of("rpm", 900, "api_key", "new-azure-key-value"), null))));
        ok("model_update.200.json", body -> assertThat(WireDecoder.storedModelId(body)).isEqualTo("7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20"));
        ok("model_update.200_null_store_off.json", body -> assertThat(body.isNull()).isTrue());
        error("model_update.400_config_model.json", 400, Category.READ_ONLY_CONFIG_MODEL, "Can't edit model. Model in config.");
        error("model_update.400_not_found.json", 400, Category.NOT_FOUND, "model not found");
        request("model_patch.request.json", RequestBodies.deploymentUpdate("7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20",
                new DeploymentUpdate("gpt-4o-mini-eu", Map.of("tpm", 200000, "input_cost_per_token", new BigDecimal("1.8e-07")),
                        Map.of("description", "EU traffic only"))));
        ok("model_patch.200.json", body -> assertThat(WireDecoder.storedModelId(body)).isEqualTo("7c2d9e41-5b8a-4f03-8e6d-1a9b3c5d7e20"));
        error("model_patch.400_config_model.json", 400, Category.READ_ONLY_CONFIG_MODEL, "Cannot edit config-based model");
        error("model_patch.400_store_off.json", 400, Category.REJECTED, "only supported for DB-stored models");
        errorCheck("model_patch.404_not_found.json", 404, e -> {
            assertThat(e.category()).isEqualTo(Category.NOT_FOUND);
            assertThat(e.missingRoute()).as("a missing model is not a missing route").isFalse();
        });
        error("model_patch.403_blocked_flag.json", 403, Category.REJECTED, "blocked flag");
        request("model_delete.request.json", Map.of("id", "5f0e2a7c-1b3d-4c6e-8f9a-0b1c2d3e4f5a"));
        ok("model_delete.200.json", body -> assertThat(body.path("message").asString()).contains("deleted successfully"));
        // decoder level: NOT_FOUND; the client checks /model/info and answers READ_ONLY_CONFIG_MODEL for config models
        error("model_delete.400_not_in_db.json", 400, Category.NOT_FOUND,
                "Model with id=7c2fc07fa518f9300819f001777c6c6c31008c322aa63a3e941325995861dde8 not found in db");
        notConsumed("model_block.request.json"); // /model/block is not used by the hub
        notConsumed("models.200.json"); // /models lists names only; the hub reads deployments
    }

    // ------------------------------------------------------------------ budgets

    private void budgets() {
        BudgetRequest pro = new BudgetRequest("pro_tier", new BigDecimal("100.0"), new BigDecimal("80.0"), 20, 200000L, 600L, "30d", null,
                List.of(new ModelBudget("gpt-4o", new BigDecimal("40.0"), "30d", null, null)));
        request("budget_new.request.json", RequestBodies.budget(pro, false));
        request("budget_new.request_minimal.json", RequestBodies.budget(
                new BudgetRequest(null, new BigDecimal("5.0"), null, null, null, null, "1d", null, null), false));
        ok("budget_new.200.json", body -> assertProTier(WireDecoder.budget(body), "100.0"));
        error("budget_new.400_duplicate.json", 400, Category.CONFLICT, "Budget with id 'pro_tier' already exists.");
        error("budget_new.400_negative.json", 400, Category.REJECTED, "non-negative");
        error("budget_new.500_db_not_connected.json", 500, Category.UNAVAILABLE, "DB not connected");
        requestContains("budget_update.request.json", RequestBodies.budget(new BudgetRequest("pro_tier", new BigDecimal("150.0"), null,
                20, 200000L, 600L, "30d", null, null), true));
        ok("budget_update.200.json", body -> {
            LiteLlmBudget b = WireDecoder.budget(body);
            assertThat(b.maxBudget()).isEqualByComparingTo("150");
            assertThat(b.softBudget()).isNull();
            assertThat(b.updatedAt()).isEqualTo(OffsetDateTime.parse("2025-11-06T10:21:03.512Z"));
        });
        ok("budget_update.200_null_unknown_id.json", body -> assertThat(body.isNull()).as("client maps 200 null to NOT_FOUND").isTrue());
        error("budget_update.400_missing_id.json", 400, Category.REJECTED, "budget_id is required");
        request("budget_info.request.json", Map.of("budgets", List.of("pro_tier", "free_tier", "does-not-exist")));
        ok("budget_info.200.json", body -> {
            List<LiteLlmBudget> rows = WireDecoder.budgets(body);
            assertThat(rows).extracting(LiteLlmBudget::id).containsExactly("pro_tier", "free_tier");
            assertThat(rows.get(1).rpmLimit()).isEqualTo(10L);
            assertThat(rows.get(1).duration()).isEqualTo("1d");
        });
        error("budget_info.400_empty_list.json", 400, Category.REJECTED, "Specify list of budget id's");
        ok("budget_list.200.json", body -> {
            List<LiteLlmBudget> rows = WireDecoder.budgets(body);
            assertThat(rows).extracting(LiteLlmBudget::id).contains("free_tier", "pro_tier", "a3c9e1f0-2b4d-4e6f-8a1b-3c5d7e9f0a2b");
            assertProTier(rows.stream().filter(b -> b.id().equals("pro_tier")).findFirst().orElseThrow(), null);
        });
        error("budget_list.400_not_admin.json", 400, Category.REJECTED, "Admin-only endpoint");
        ok("budget_settings.200.json", body -> {
            List<BudgetSetting> settings = WireDecoder.budgetSettings(body);
            assertThat(settings).extracting(BudgetSetting::name).containsExactly("max_budget", "soft_budget", "max_parallel_requests",
                    "tpm_limit", "rpm_limit", "budget_duration", "model_max_budget");
            assertThat((BigDecimal) settings.get(0).value()).isEqualByComparingTo("100");
            assertThat(settings.get(5).value()).isEqualTo("30d");
            assertThat(settings.get(0).amount()).isEqualTo(new BigDecimal("100.0"));
            assertThat(settings.get(1).amount()).isEqualTo(new BigDecimal("80.0"));
            assertThat(settings.get(2).number()).isEqualTo(20L);
            assertThat(settings.get(5).text()).isEqualTo("30d");
            assertThat(settings.get(6).modelBudgets()).containsExactly(new ModelBudget("gpt-4o", new BigDecimal("40.0"), "30d", null, null));
            assertThat(settings.get(0).description()).isEqualTo("Hard spend cap in USD; calls are rejected once exceeded.");
            assertThat(settings).allMatch(BudgetSetting::isSet);
        });
        error("budget_settings.422_missing_budget_id.json", 422, Category.REJECTED, "query.budget_id: Field required");
        request("budget_delete.request.json", Map.of("id", "a3c9e1f0-2b4d-4e6f-8a1b-3c5d7e9f0a2b"));
        ok("budget_delete.200.json", body -> {
            LiteLlmBudget b = WireDecoder.budget(body);
            assertThat(b.id()).isEqualTo("a3c9e1f0-2b4d-4e6f-8a1b-3c5d7e9f0a2b");
            assertThat(b.maxBudget()).isEqualByComparingTo("5");
        });
        ok("budget_delete.200_null_unknown_id.json", body -> assertThat(body.isNull()).isTrue());
        ok("management_v1_budgets.200.json", body -> assertThat(WireDecoder.budgets(body)).extracting(LiteLlmBudget::id)
                .containsExactly("pro_tier", "free_tier"));
        error("management_v1_budgets.403_problem.json", 403, Category.REJECTED, "Only proxy admins can list budgets");
        error("management_v1_budgets.400_unknown_param.json", 400, Category.REJECTED, "Unrecognized query parameter(s): limit.");
    }

    private static void assertProTier(LiteLlmBudget b, String maxBudget) {
        assertThat(b.id()).isEqualTo("pro_tier");
        if (maxBudget != null) {
            assertThat(b.maxBudget()).isEqualByComparingTo(maxBudget);
        }
        assertThat(b.softBudget()).isEqualByComparingTo("80");
        assertThat(b.maxParallelRequests()).isEqualTo(20);
        assertThat(b.tpmLimit()).isEqualTo(200000L);
        assertThat(b.duration()).isEqualTo("30d");
        assertThat(b.resetAt()).isEqualTo(OffsetDateTime.parse("2025-12-01T00:00:00Z"));
        assertThat(b.modelBudgets()).containsExactly(new ModelBudget("gpt-4o", new BigDecimal("40.0"), "30d", null, null));
    }

    // ------------------------------------------------------------------ customers

    private void customers() {
        request("customer_new.request_with_budget_id.json",
                RequestBodies.customer(new CustomerRequest("acme-user-8812", "ACME Corp – Jane", "free_tier", null, "eu", null)));
        request("customer_new.request_inline_budget.json", RequestBodies.customerWithOwnBudget(
                new CustomerRequest("acme-user-9001", null, null, null, null, null),
                new BudgetRequest(null, new BigDecimal("25.0"), null, null, null, 60L, "30d", null, List.of())));
        ok("customer_new.200.json", body -> {
            LiteLlmCustomer c = WireDecoder.customer(body);
            assertThat(c.id()).isEqualTo("acme-user-8812");
            assertThat(c.budgetId()).isEqualTo("free_tier");
            assertThat(c.spend()).isEqualByComparingTo("0");
            assertThat(c.budget().resetAt()).isEqualTo(OffsetDateTime.parse("2025-11-04T00:00:00Z")); // sent as +00:00
        });
        error("customer_new.400_duplicate.json", 400, Category.CONFLICT, "Customer already exists");
        error("customer_new.422_budget_id_and_max_budget.json", 422, Category.REJECTED, "Set either 'max_budget' or 'budget_id'");
        ok("customer_info.200.json", body -> {
            LiteLlmCustomer c = WireDecoder.customer(body);
            assertThat(c.alias()).isEqualTo("ACME Corp – Jane");
            assertThat(c.spend().toString()).isEqualTo("0.73214");
            assertThat(c.allowedModelRegion()).isEqualTo("eu");
            assertThat(c.blocked()).isFalse();
            assertThat(c.budget().maxBudget()).isEqualByComparingTo("1");
        });
        error("customer_info.404.json", 404, Category.NOT_FOUND, "End User Id=nobody does not exist in db");
        request("customer_update.request.json", RequestBodies.customer(new CustomerRequest("acme-user-8812", null, "pro_tier", null, null, null)));
        ok("customer_update.200.json", body -> {
            LiteLlmCustomer c = WireDecoder.customer(body);
            assertThat(c.budgetId()).isEqualTo("pro_tier");
            assertThat(c.budget().createdAt()).isEqualTo(OffsetDateTime.parse("2025-11-03T09:15:42.118Z"));
        });
        ok("customer_list.200.json", body -> {
            List<LiteLlmCustomer> rows = WireDecoder.customers(body);
            assertThat(rows).extracting(LiteLlmCustomer::id).containsExactly("acme-user-8812", "acme-user-9001");
            assertThat(rows.get(1).spend()).isEqualByComparingTo("3.1187");
            assertThat(rows.get(1).budget().maxBudget()).isEqualByComparingTo("25");
            assertThat(rows.get(1).budget().resetAt()).as("this view omits the reset time").isNull();
        });
        ok("customer_list.200_mid_2025.json", body -> {
            List<LiteLlmCustomer> rows = WireDecoder.customers(body);
            assertThat(rows.get(0).budgetId()).as("taken from the embedded budget").isEqualTo("pro_tier");
            assertThat(rows.get(1).budgetId()).isNull();
            assertThat(rows.get(1).budget()).isNull();
        });
        ok("customer_list.200_newest.json", body -> assertThat(WireDecoder.customers(body).get(0).budget().resetAt())
                .isEqualTo(OffsetDateTime.parse("2025-12-01T00:00:00Z")));
        request("customer_delete.request.json", Map.of("user_ids", List.of("acme-user-9001")));
        ok("customer_delete.200.json", body -> assertThat(body.path("deleted_customers").asInt()).isEqualTo(1));
        error("customer_delete.404.json", 404, Category.NOT_FOUND, "do not exist in db");
    }

    // ------------------------------------------------------------------ users and teams

    private void usersAndTeams() {
        ok("user_info.200.json", body -> {
            LiteLlmUser u = WireDecoder.user(body);
            assertThat(u.id()).isEqualTo("jane@acme.example");
            assertThat(u.maxBudget()).isEqualByComparingTo("20");
            assertThat(u.spend().toString()).isEqualTo("7.5521");
            assertThat(u.modelSpend()).containsEntry("gpt-4o", new BigDecimal("7.5521"));
            assertThat(u.teams()).containsExactly("9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60");
        });
        ok("user_info_v2.200.json", body -> assertThat(WireDecoder.user(body).duration()).isEqualTo("30d"));
        error("user_info.404_unknown_user.json", 404, Category.NOT_FOUND, "User ghost@acme.example not found");
        ok("user_list.200.json", body -> {
            WireDecoder.Paged<LiteLlmUser> page = WireDecoder.userPage(body);
            assertThat(page.totalPages()).isNotNull();
            assertThat(page.items()).extracting(LiteLlmUser::id).startsWith("jane@acme.example", "omar@acme.example");
            LiteLlmUser omar = page.items().get(1);
            assertThat(omar.maxBudget()).isNull();
            assertThat(omar.tpmLimit()).isEqualTo(50000L);
            assertThat(omar.alias()).isEqualTo("Omar (data eng)");
        });
        ok("user_list.200_legacy_bare_list.json", body -> {
            WireDecoder.Paged<LiteLlmUser> page = WireDecoder.userPage(body);
            assertThat(page.totalPages()).isNull();
            assertThat(page.items()).hasSize(2);
            assertThat(page.items().get(1).spend()).isEqualByComparingTo("0");
        });
        error("user_list.403_not_admin.json", 403, Category.REJECTED, "Only proxy admins and organization admins");
        error("user_list.400_invalid_sort_by.json", 400, Category.REJECTED, "Invalid sort column");
        error("user_list.422_page_size_over_100.json", 422, Category.REJECTED, "query.page_size");
        request("user_update.request.json", RequestBodies.userUpdate(new UserBudgetUpdate("jane@acme.example", new BigDecimal("50.0"),
                "30d", 100000L, 60L, null, null)));
        request("user_update.request_clear_budget.json", RequestBodies.userUpdate(new UserBudgetUpdate("jane@acme.example", null,
                null, null, null, null, null)));
        ok("user_update.200.json", body -> {
            LiteLlmUser u = WireDecoder.user(body);
            assertThat(u.maxBudget()).isEqualByComparingTo("50");
            assertThat(u.rpmLimit()).isEqualTo(60L);
        });
        ok("user_update.200_legacy_echo.json", body -> assertThat(WireDecoder.user(body).resetAt())
                .isEqualTo(OffsetDateTime.parse("2024-11-04T10:20:11.402118Z")));
        error("user_update.403_other_user.json", 403, Category.REJECTED, "User does not have permission to update this user.");
        error("user_update.403_role_change.json", 403, Category.REJECTED, "Only proxy admins can modify user roles.");
        error("user_update.422_no_identifier.json", 422, Category.REJECTED, "Either user id or user email must be provided");
        error("user_update.400_invalid_duration.json", 400, Category.REJECTED, "Invalid duration format");

        notConsumed("team_new.request.json"); // the hub does not create teams
        ok("team_new.200.json", body -> assertThat(WireDecoder.team(body).softBudget()).isEqualByComparingTo("400"));
        ok("team_info.200.json", body -> {
            LiteLlmTeam t = WireDecoder.team(body);
            assertThat(t.id()).isEqualTo("9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60");
            assertThat(t.alias()).isEqualTo("research");
            assertThat(t.maxBudget()).isEqualByComparingTo("500");
            assertThat(t.spend().toString()).isEqualTo("212.44817");
            assertThat(t.duration()).isEqualTo("1mo");
            assertThat(t.tpmLimit()).isEqualTo(500000L);
            assertThat(t.memberBudgetId()).isEqualTo("c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f");
            assertThat(t.modelSpend()).containsEntry("claude-sonnet", new BigDecimal("42.34817"));
        });
        error("team_info.404_not_found.json", 404, Category.NOT_FOUND, "Team not found, passed team id: no-such-team.");
        ok("team_list.200.json", body -> {
            WireDecoder.Paged<LiteLlmTeam> page = WireDecoder.teamPage(body);
            assertThat(page.items()).extracting(LiteLlmTeam::id).contains("9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60", "5e8a1d2c-3b4f-4a6e-9c7d-0f1e2d3c4b5a");
            assertThat(page.totalPages()).isNotNull();
            assertThat(page.items().get(1).organizationId()).isEqualTo("org-7a1c9e3b");
        });
        ok("team_list.200_v1_bare_list.json", body -> {
            WireDecoder.Paged<LiteLlmTeam> page = WireDecoder.teamPage(body);
            assertThat(page.totalPages()).isNull();
            assertThat(page.items().get(0).softBudget()).as("not a field before 2026").isNull();
            assertThat(page.items().get(0).maxBudget()).isEqualByComparingTo("500");
        });
        error("team_list.401_other_user.json", 401, Category.UNAUTHORIZED, "Only admin users can query all teams");
        error("team_list_v2.404_unknown_user.json", 404, Category.NOT_FOUND, "User not found");
        request("team_update.request.json", without(RequestBodies.teamUpdate(new TeamBudgetUpdate("9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60",
                new BigDecimal("750.0"), null, "1mo", 600000L, 1200L, null)), "soft_budget", "max_parallel_requests"));
        requestContains("team_update.request_clear_limits.json", RequestBodies.teamUpdate(new TeamBudgetUpdate(
                "9c4e2a1f-6b8d-4f0e-a3c5-7d9b1e2f4a60", null, null, null, null, null, null)));
        ok("team_update.200.json", body -> {
            LiteLlmTeam t = WireDecoder.team(body);
            assertThat(t.maxBudget()).isEqualByComparingTo("750");
            assertThat(t.updatedAt()).isEqualTo(OffsetDateTime.parse("2025-11-05T10:31:47.881Z"));
        });
        error("team_update.404_not_found.json", 404, Category.NOT_FOUND, "Team not found, passed team_id=no-such-team");
        error("team_update.422_missing_team_id.json", 422, Category.REJECTED, "body.team_id: Field required");
        error("team_update.422_max_budget_empty_string.json", 422, Category.REJECTED, "body.max_budget");
    }

    // ------------------------------------------------------------------ spend, health, logs

    private void spendAndHealth() {
        ok("global_spend.200.json", body -> {
            GlobalSpend spend = WireDecoder.globalSpend(body);
            assertThat(spend.spend().toString()).isEqualTo("1834.2291");
            assertThat(spend.maxBudget()).isEqualByComparingTo("5000");
        });
        ok("global_spend.200_no_recent_spend.json", body -> {
            GlobalSpend spend = WireDecoder.globalSpend(body);
            assertThat(spend.spend()).isNull(); // no traffic in the window, which LiteLLM does not call 0
            assertThat(spend.maxBudget()).isNull();
        });
        ok("health_liveliness.200.json", body -> assertThat(body.asString()).isEqualTo("I'm alive!"));
        notConsumed("health_readiness.200.json"); // readiness probe uses /health/liveliness
        notConsumed("health_readiness.200_current_public.json");
        notConsumed("health.200.json"); // /health calls every provider: never used by the hub
        error("health.404_unknown_model_id.json", 404, Category.NOT_FOUND, "Model with ID nope not found");
        notConsumed("spend_logs.200_by_request_id.json"); // spend logs are out of this client's scope
        notConsumed("spend_logs_v2.200.json");
        error("spend_logs_v2.400_missing_dates.json", 400, Category.REJECTED, "Start date and end date are required");
    }

    private void genericErrors() {
        error("error.401_missing_key.json", 401, Category.UNAUTHORIZED, "No api key passed in.");
        error("error.401_malformed_key.json", 401, Category.UNAUTHORIZED, "Malformed API Key");
        error("error.401_invalid_key.json", 401, Category.UNAUTHORIZED, "Invalid proxy server token passed");
        error("error.401_route_admin_only.json", 401, Category.UNAUTHORIZED, "Only proxy admin can be used");
        error("error.400_budget_exceeded.json", 400, Category.REJECTED, "Budget has been exceeded!");
        errorCheck("error.404_unknown_route.json", 404, e -> assertThat(e.missingRoute()).isTrue());
        checks.put("error.500_unhandled_plaintext.envelope.json", bytes -> {
            JsonNode envelope = WireJson.readTree(bytes);
            byte[] body = envelope.path("body").asString().getBytes(StandardCharsets.UTF_8);
            LiteLlmException e = errors.fromResponse("test", envelope.path("status").asInt(), body);
            assertThat(e.category()).isEqualTo(Category.UNAVAILABLE);
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.upstreamMessage()).isEqualTo("Internal Server Error");
        });
    }

    // ------------------------------------------------------------------ helpers

    private void ok(String file, Consumer<JsonNode> check) {
        checks.put(file, bytes -> check.accept(WireJson.readTree(bytes)));
    }

    private void notConsumed(String file) {
        // still must be well-formed JSON: a broken fixture copy should not pass silently
        checks.put(file, bytes -> assertThat(WireJson.readTree(bytes)).isNotNull());
    }

    private void error(String file, int status, Category category, String messagePart) {
        errorCheck(file, status, e -> {
            assertThat(e.category()).isEqualTo(category);
            assertThat(e.upstreamMessage()).contains(messagePart);
            assertThat(e.upstreamMessage()).doesNotStartWith("{'");
        });
    }

    private void errorCheck(String file, int status, Consumer<LiteLlmException> check) {
        checks.put(file, bytes -> {
            LiteLlmException e = errors.fromResponse("test", status, bytes);
            assertThat(e.status()).isEqualTo(status);
            check.accept(e);
        });
    }

    /** The body the client sends equals the fixture (numbers compared by value). */
    private void request(String file, Map<String, Object> ours) {
        checks.put(file, bytes -> assertSameJson(WireJson.readTree(bytes), WireJson.readTree(WireJson.write(ours)), file, true));
    }

    /** Every field of the fixture is in our body with the same value; ours may write more (e.g. explicit nulls). */
    private void requestContains(String file, Map<String, Object> ours) {
        checks.put(file, bytes -> assertSameJson(WireJson.readTree(bytes), WireJson.readTree(WireJson.write(ours)), file, false));
    }

    private static Map<String, Object> without(Map<String, Object> body, String... keys) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(body);
        for (String key : keys) {
            copy.remove(key);
        }
        return copy;
    }

    private static void assertSameJson(JsonNode expected, JsonNode actual, String where, boolean exact) {
        if (expected.isNumber()) {
            assertThat(actual.isNumber()).as(where).isTrue();
            assertThat(actual.decimalValue()).as(where).isEqualByComparingTo(expected.decimalValue());
        } else if (expected.isObject()) {
            assertThat(actual.isObject()).as(where).isTrue();
            if (exact) {
                assertThat(actual.propertyNames()).as(where).containsExactlyInAnyOrderElementsOf(expected.propertyNames());
            }
            expected.properties().forEach(e -> {
                assertThat(actual.has(e.getKey())).as(where + "." + e.getKey()).isTrue();
                assertSameJson(e.getValue(), actual.get(e.getKey()), where + "." + e.getKey(), exact);
            });
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(where).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSameJson(expected.get(i), actual.get(i), where + "[" + i + "]", exact);
            }
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    private static LiteLlmDeployment byId(List<LiteLlmDeployment> rows, String id) {
        return rows.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id));
    }

    private static Set<String> indexedFiles() {
        JsonNode index = WireJson.readTree(read("_index.json"));
        Set<String> files = new LinkedHashSet<>();
        index.path("fixtures").values().forEach(entry -> files.add(entry.path("file").asString()));
        assertThat(files).hasSizeGreaterThan(100);
        return files;
    }

    private static byte[] read(String file) {
        try (InputStream in = FixtureContractTest.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new AssertionError("fixture copy missing: " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
