package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.oneuihub.budget.ModelBudget;
import io.oneuihub.catalog.ModelCapability;
import tools.jackson.databind.JsonNode;

/** Turns LiteLLM's response bodies (already parsed to a tree) into the package's public records. */
final class WireDecoder {

    /** Rows of one page of a paginated list; totalPages null when the server did not paginate. */
    record Paged<T>(List<T> items, Integer totalPages, Integer totalCount) {
    }

    private WireDecoder() {
    }

    // ---- models

    static DeploymentPage deploymentPage(JsonNode body, int requestedPage) {
        if (body.isArray()) {
            return new DeploymentPage(requestedPage, null, null, deploymentsOf(body));
        }
        Wire.ModelPage page = WireJson.convert(body, Wire.ModelPage.class);
        List<LiteLlmDeployment> rows = decodeAll(WireJson.listOrEmpty(page.data()), WireDecoder::deployment);
        int number = page.currentPage() == null ? requestedPage : page.currentPage();
        return new DeploymentPage(number, page.totalPages(), page.totalCount(), rows);
    }

    /** {@code /model/info}: {@code {"data": [...]}} or, with a single CLI model, {@code {"data": {...}}}. */
    static List<LiteLlmDeployment> deployments(JsonNode body) {
        return deploymentPage(body, 1).deployments();
    }

    private static List<LiteLlmDeployment> deploymentsOf(JsonNode array) {
        List<LiteLlmDeployment> rows = new ArrayList<>();
        array.values().forEach(node -> {
            if (node.isNull()) {
                return; // as in a page's data list
            }
            LiteLlmDeployment row = deployment(WireJson.convert(node, Wire.Deployment.class));
            if (row != null) {
                rows.add(row);
            }
        });
        return rows;
    }

    static LiteLlmDeployment deployment(Wire.Deployment wire) {
        JsonNode infoNode = WireJson.column(wire.modelInfo());
        JsonNode paramsNode = WireJson.column(wire.litellmParams());
        Wire.ModelInfo info = infoNode == null ? null : WireJson.convert(infoNode, Wire.ModelInfo.class);
        Wire.LitellmParams params = paramsNode == null ? null : WireJson.convert(paramsNode, Wire.LitellmParams.class);
        return deployment(wire.modelName(), info, params, info == null || info.id() == null ? Map.of() : WireJson.columnAsMap(paramsNode));
    }

    /** One deployment from its decoded parts; null without a {@code model_info.id}. */
    static LiteLlmDeployment deployment(String modelName, Wire.ModelInfo info, Wire.LitellmParams params,
            Map<String, Object> plainParams) {
        if (info == null || info.id() == null) {
            return null; // nothing to key it by: LiteLLM always sends an id, a row without one is not a deployment
        }
        String litellmModel = params == null ? null : params.model();
        String name = info.teamPublicModelName() != null ? info.teamPublicModelName() : modelName;
        return new LiteLlmDeployment(
                info.id(),
                name,
                litellmModel,
                provider(info, params),
                info.mode(),
                firstNonNull(info.inputCostPerToken(), params == null ? null : params.inputCostPerToken()),
                firstNonNull(info.outputCostPerToken(), params == null ? null : params.outputCostPerToken()),
                info.maxTokens(),
                info.maxInputTokens(),
                info.maxOutputTokens(),
                firstNonNull(params == null ? null : params.rpm(), info.rpm()),
                firstNonNull(params == null ? null : params.tpm(), info.tpm()),
                capabilities(info.supportsVision(), info.supportsFunctionCalling(), info.supportsParallelFunctionCalling(),
                        info.supportsReasoning(), info.supportsWebSearch(), info.supportsPromptCaching(),
                        info.supportsResponseSchema(), info.supportsAudioInput(), info.supportsAudioOutput(),
                        info.supportsPdfInput()),
                Boolean.TRUE.equals(info.dbModel()),
                Secrets.maskForDisplay(plainParams),
                info.createdAt(),
                info.updatedAt());
    }

    private static String provider(Wire.ModelInfo info, Wire.LitellmParams params) {
        if (info.litellmProvider() != null && !info.litellmProvider().isBlank()) {
            return info.litellmProvider();
        }
        if (params == null) {
            return null;
        }
        if (params.customLlmProvider() != null && !params.customLlmProvider().isBlank()) {
            return params.customLlmProvider();
        }
        String model = params.model();
        int slash = model == null ? -1 : model.indexOf('/');
        return slash > 0 ? model.substring(0, slash) : null;
    }

    /** The id of the row a model write answered with. */
    static String storedModelId(JsonNode body) {
        Wire.StoredModel stored = WireJson.convert(body, Wire.StoredModel.class);
        if (stored.modelId() != null) {
            return stored.modelId();
        }
        JsonNode info = WireJson.column(stored.modelInfo());
        return info == null ? null : WireJson.text(info.get("id"));
    }

    static List<LiteLlmModelGroup> modelGroups(JsonNode body) {
        JsonNode data = body.isArray() ? body : body.path("data");
        List<LiteLlmModelGroup> groups = new ArrayList<>();
        for (JsonNode node : data.isArray() ? data.values() : data.isObject() ? List.of(data) : List.<JsonNode>of()) {
            Wire.ModelGroup g = WireJson.convert(node, Wire.ModelGroup.class);
            groups.add(new LiteLlmModelGroup(g.modelGroup(), WireJson.listOrEmpty(g.providers()), g.mode(),
                    g.maxInputTokens(), g.maxOutputTokens(), g.inputCostPerToken(), g.outputCostPerToken(), g.tpm(), g.rpm(),
                    capabilities(g.supportsVision(), g.supportsFunctionCalling(), g.supportsParallelFunctionCalling(),
                            g.supportsReasoning(), g.supportsWebSearch(), g.supportsPromptCaching(),
                            g.supportsResponseSchema(), g.supportsAudioInput(), g.supportsAudioOutput(),
                            g.supportsPdfInput())));
        }
        return groups;
    }

    private static Set<ModelCapability> capabilities(Boolean vision, Boolean functionCalling, Boolean parallelFunctionCalling,
            Boolean reasoning, Boolean webSearch, Boolean promptCaching, Boolean responseSchema, Boolean audioInput,
            Boolean audioOutput, Boolean pdfInput) {
        Set<ModelCapability> set = EnumSet.noneOf(ModelCapability.class);
        add(set, vision, ModelCapability.VISION);
        add(set, functionCalling, ModelCapability.FUNCTION_CALLING);
        add(set, parallelFunctionCalling, ModelCapability.PARALLEL_FUNCTION_CALLING);
        add(set, reasoning, ModelCapability.REASONING);
        add(set, webSearch, ModelCapability.WEB_SEARCH);
        add(set, promptCaching, ModelCapability.PROMPT_CACHING);
        add(set, responseSchema, ModelCapability.RESPONSE_SCHEMA);
        add(set, audioInput, ModelCapability.AUDIO_INPUT);
        add(set, audioOutput, ModelCapability.AUDIO_OUTPUT);
        add(set, pdfInput, ModelCapability.PDF_INPUT);
        return set;
    }

    private static void add(Set<ModelCapability> set, Boolean flag, ModelCapability capability) {
        if (Boolean.TRUE.equals(flag)) {
            set.add(capability);
        }
    }

    // ---- budgets

    static LiteLlmBudget budget(JsonNode body) {
        return budget(WireJson.convert(body, Wire.Budget.class));
    }

    static LiteLlmBudget budget(Wire.Budget b) {
        if (b == null) {
            return null;
        }
        return new LiteLlmBudget(b.budgetId(), b.maxBudget(), b.softBudget(), b.maxParallelRequests(), b.tpmLimit(),
                b.rpmLimit(), blankToNull(b.budgetDuration()), b.budgetResetAt(), modelBudgets(b.modelMaxBudget()),
                WireJson.listOrEmpty(b.allowedModels()), b.createdAt(), b.updatedAt());
    }

    /** A bare array (/budget/list, /budget/info) or a {@code data} list (/management/v1/budgets). */
    static List<LiteLlmBudget> budgets(JsonNode body) {
        JsonNode rows = body.isObject() && body.has("data") ? body.get("data") : body;
        return decodeAll(rows, Wire.Budget.class, WireDecoder::budget);
    }

    static List<BudgetSetting> budgetSettings(JsonNode body) {
        List<BudgetSetting> settings = new ArrayList<>();
        for (JsonNode node : body.isArray() ? body.values() : List.of(body)) {
            Wire.BudgetSetting s = WireJson.convert(node, Wire.BudgetSetting.class);
            if (s.fieldName() != null) {
                settings.add(budgetSetting(s));
            }
        }
        return settings;
    }

    private static BudgetSetting budgetSetting(Wire.BudgetSetting s) {
        JsonNode value = s.fieldValue();
        boolean set = value != null && !value.isNull() && !value.isMissingNode();
        String type = s.fieldType() == null ? "" : s.fieldType();
        BigDecimal amount = set && type.equalsIgnoreCase("Float") && (value.isNumber() || value.isString())
                ? WireJson.decimal(WireJson.text(value)) : null;
        Long number = set && type.equalsIgnoreCase("Integer") && value.isIntegralNumber() && value.canConvertToLong()
                ? value.longValue() : null;
        String text = set && type.equalsIgnoreCase("String") && value.isString() ? WireJson.text(value) : null;
        List<ModelBudget> perModel = set && "model_max_budget".equals(s.fieldName()) ? modelBudgets(value) : null;
        return new BudgetSetting(s.fieldName(), s.fieldType(), blankToNull(s.fieldDescription()), WireJson.plain(value),
                amount, number, text, perModel);
    }

    /**
     * LiteLLM's {@code model_max_budget}: {@code {"gpt-4o": {"max_budget": 40.0, "budget_duration": "30d", ...}}},
     * in older rows also {@code {"gpt-4o": 40.0}}.
     */
    static List<ModelBudget> modelBudgets(JsonNode node) {
        JsonNode column = WireJson.column(node);
        if (column == null || !column.isObject()) {
            return List.of();
        }
        List<ModelBudget> budgets = new ArrayList<>();
        column.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                Wire.Budget limit = WireJson.convert(value, Wire.Budget.class);
                budgets.add(new ModelBudget(entry.getKey(), limit.maxBudget(), blankToNull(limit.budgetDuration()),
                        limit.tpmLimit(), limit.rpmLimit()));
            } else if (value.isNumber() || value.isString()) {
                budgets.add(new ModelBudget(entry.getKey(), WireJson.decimal(WireJson.text(value)), null, null, null));
            }
        });
        return budgets;
    }

    private static Map<String, BigDecimal> amounts(JsonNode node) {
        JsonNode column = WireJson.column(node);
        if (column == null || !column.isObject()) {
            return Map.of();
        }
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        column.properties().forEach(e -> {
            BigDecimal value = WireJson.decimal(WireJson.text(e.getValue()));
            if (value != null) {
                amounts.put(e.getKey(), value);
            }
        });
        return amounts;
    }

    // ---- customers

    static LiteLlmCustomer customer(JsonNode body) {
        return customer(WireJson.convert(body, Wire.Customer.class));
    }

    static LiteLlmCustomer customer(Wire.Customer c) {
        if (c == null || c.userId() == null) {
            return null;
        }
        LiteLlmBudget budget = budget(c.litellmBudgetTable());
        String budgetId = c.budgetId() != null ? c.budgetId() : budget == null ? null : budget.id();
        return new LiteLlmCustomer(c.userId(), blankToNull(c.alias()), zeroIfNull(c.spend()), budgetId, budget,
                Boolean.TRUE.equals(c.blocked()), blankToNull(c.allowedModelRegion()), blankToNull(c.defaultModel()));
    }

    static List<LiteLlmCustomer> customers(JsonNode body) {
        return decodeAll(body, Wire.Customer.class, WireDecoder::customer);
    }

    // ---- internal users

    /**
     * One user from {@code /user/info} ({@code {user_id, user_info}}), {@code /user/update}
     * ({@code {user_id, data}}) or a flat row ({@code /v2/user/info}, list items). Null when the body names no
     * user (legacy builds answer an unknown id with {@code user_info: {spend}}).
     */
    static LiteLlmUser user(JsonNode body) {
        JsonNode row = body.has("user_info") ? body.get("user_info") : body.has("data") && body.get("data").isObject() ? body.get("data") : body;
        return user(WireJson.convert(row, Wire.User.class));
    }

    static LiteLlmUser user(Wire.User u) {
        if (u == null || u.userId() == null) {
            return null;
        }
        return new LiteLlmUser(u.userId(), blankToNull(u.userEmail()), blankToNull(u.userAlias()), u.userRole(),
                u.maxBudget(), zeroIfNull(u.spend()), blankToNull(u.budgetDuration()), u.budgetResetAt(), u.tpmLimit(),
                u.rpmLimit(), u.maxParallelRequests(), modelBudgets(u.modelMaxBudget()), amounts(u.modelSpend()),
                WireJson.listOrEmpty(u.teams()), u.createdAt(), u.updatedAt());
    }

    static Paged<LiteLlmUser> userPage(JsonNode body) {
        if (body.isArray()) {
            return new Paged<>(decodeAll(body, Wire.User.class, WireDecoder::user), null, null);
        }
        Wire.UserPage page = WireJson.convert(body, Wire.UserPage.class);
        return new Paged<>(decodeAll(WireJson.listOrEmpty(page.users()), WireDecoder::user), page.totalPages(), page.total());
    }

    // ---- teams

    /** One team from {@code /team/info} ({@code {team_id, team_info}}), {@code /team/update} ({@code {team_id, data}}) or a row. */
    static LiteLlmTeam team(JsonNode body) {
        JsonNode row = body.has("team_info") ? body.get("team_info") : body.has("data") && body.get("data").isObject() ? body.get("data") : body;
        return team(WireJson.convert(row, Wire.Team.class));
    }

    static LiteLlmTeam team(Wire.Team t) {
        if (t == null || t.teamId() == null) {
            return null;
        }
        JsonNode metadata = WireJson.column(t.metadata());
        String memberBudgetId = metadata == null ? null : WireJson.text(metadata.get("team_member_budget_id"));
        return new LiteLlmTeam(t.teamId(), blankToNull(t.teamAlias()), blankToNull(t.organizationId()), t.maxBudget(),
                t.softBudget(), zeroIfNull(t.spend()), blankToNull(t.budgetDuration()), t.budgetResetAt(), t.tpmLimit(),
                t.rpmLimit(), t.maxParallelRequests(), modelBudgets(t.modelMaxBudget()), amounts(t.modelSpend()),
                WireJson.listOrEmpty(t.models()), Boolean.TRUE.equals(t.blocked()), memberBudgetId, t.createdAt(),
                t.updatedAt());
    }

    static Paged<LiteLlmTeam> teamPage(JsonNode body) {
        if (body.isArray()) {
            return new Paged<>(decodeAll(body, Wire.Team.class, WireDecoder::team), null, null);
        }
        Wire.TeamPage page = WireJson.convert(body, Wire.TeamPage.class);
        return new Paged<>(decodeAll(WireJson.listOrEmpty(page.teams()), WireDecoder::team), page.totalPages(), page.total());
    }

    // ---- spend

    static GlobalSpend globalSpend(JsonNode body) {
        Wire.GlobalSpend spend = WireJson.convert(body, Wire.GlobalSpend.class);
        return new GlobalSpend(spend.spend(), spend.maxBudget());
    }

    // ---- helpers

    private static <W, T> List<T> decodeAll(List<W> wire, Function<W, T> decode) {
        List<T> out = new ArrayList<>(wire.size());
        for (W w : wire) {
            T t = decode.apply(w);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static <W, T> List<T> decodeAll(JsonNode rows, Class<W> wireType, Function<W, T> decode) {
        if (rows == null || rows.isNull() || rows.isMissingNode()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (JsonNode node : rows.isArray() ? rows.values() : List.of(rows)) {
            T t = decode.apply(WireJson.convert(node, wireType));
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }

    private static BigDecimal zeroIfNull(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() || "None".equals(value) ? null : value;
    }
}
