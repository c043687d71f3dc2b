package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * LiteLLM's JSON shapes, field for field (snake_case on the wire). JSON columns stay {@link JsonNode} because
 * LiteLLM sends them as objects or as strings holding JSON; {@link WireJson#column} normalises them.
 * Nothing here leaves the package: {@link WireDecoder} turns these into the public records.
 */
final class Wire {

    private Wire() {
    }

    record Deployment(String modelName, JsonNode litellmParams, JsonNode modelInfo) {
    }

    record ModelInfo(
            String id,
            Boolean dbModel,
            String teamPublicModelName,
            String litellmProvider,
            String mode,
            BigDecimal inputCostPerToken,
            BigDecimal outputCostPerToken,
            Integer maxTokens,
            Integer maxInputTokens,
            Integer maxOutputTokens,
            Long tpm,
            Long rpm,
            Boolean supportsVision,
            Boolean supportsFunctionCalling,
            Boolean supportsParallelFunctionCalling,
            Boolean supportsReasoning,
            Boolean supportsWebSearch,
            Boolean supportsPromptCaching,
            Boolean supportsResponseSchema,
            Boolean supportsAudioInput,
            Boolean supportsAudioOutput,
            Boolean supportsPdfInput,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    /** Params we read for the domain record; the rest stay in the free-form map. */
    record LitellmParams(String model, String customLlmProvider, Long rpm, Long tpm, BigDecimal inputCostPerToken,
            BigDecimal outputCostPerToken) {
    }

    /** current: paginated; mid/legacy: only data. */
    record ModelPage(List<Deployment> data, Integer totalCount, Integer currentPage, Integer totalPages, Integer size) {
    }

    /** What /model/new, /model/update and PATCH answer: the stored row (params encrypted). */
    record StoredModel(String modelId, String modelName, JsonNode modelInfo) {
    }

    record ModelGroup(
            String modelGroup,
            List<String> providers,
            String mode,
            Integer maxInputTokens,
            Integer maxOutputTokens,
            BigDecimal inputCostPerToken,
            BigDecimal outputCostPerToken,
            Long tpm,
            Long rpm,
            Boolean supportsVision,
            Boolean supportsFunctionCalling,
            Boolean supportsParallelFunctionCalling,
            Boolean supportsReasoning,
            Boolean supportsWebSearch,
            Boolean supportsPromptCaching,
            Boolean supportsResponseSchema,
            Boolean supportsAudioInput,
            Boolean supportsAudioOutput,
            Boolean supportsPdfInput) {
    }

    record Budget(
            String budgetId,
            BigDecimal maxBudget,
            BigDecimal softBudget,
            Integer maxParallelRequests,
            Long tpmLimit,
            Long rpmLimit,
            JsonNode modelMaxBudget,
            String budgetDuration,
            OffsetDateTime budgetResetAt,
            List<String> allowedModels,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    record BudgetSetting(String fieldName, String fieldType, String fieldDescription, JsonNode fieldValue) {
    }

    record Customer(
            String userId,
            String alias,
            BigDecimal spend,
            String budgetId,
            Boolean blocked,
            String allowedModelRegion,
            String defaultModel,
            Budget litellmBudgetTable) {
    }

    record CustomerDeleted(Integer deletedCustomers, String message) {
    }

    record User(
            String userId,
            String userEmail,
            String userAlias,
            String userRole,
            BigDecimal maxBudget,
            BigDecimal spend,
            String budgetDuration,
            OffsetDateTime budgetResetAt,
            Long tpmLimit,
            Long rpmLimit,
            Integer maxParallelRequests,
            JsonNode modelMaxBudget,
            JsonNode modelSpend,
            List<String> teams,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    /** /user/info: {user_id, user_info:{...}, keys, teams}. */
    record UserInfo(String userId, User userInfo) {
    }

    /** /user/list (mid+): paginated object; legacy /user/get_users is a bare array. */
    record UserPage(List<User> users, Integer total, Integer page, Integer pageSize, Integer totalPages) {
    }

    record Team(
            String teamId,
            String teamAlias,
            String organizationId,
            BigDecimal maxBudget,
            BigDecimal softBudget,
            BigDecimal spend,
            String budgetDuration,
            OffsetDateTime budgetResetAt,
            Long tpmLimit,
            Long rpmLimit,
            Integer maxParallelRequests,
            JsonNode modelMaxBudget,
            JsonNode modelSpend,
            List<String> models,
            Boolean blocked,
            JsonNode metadata,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    /** /team/info: {team_id, team_info:{...}, keys, team_memberships}. */
    record TeamInfo(String teamId, Team teamInfo) {
    }

    /** /v2/team/list: note "total", not "total_count". */
    record TeamPage(List<Team> teams, Integer total, Integer page, Integer pageSize, Integer totalPages) {
    }

    record GlobalSpend(BigDecimal spend, BigDecimal maxBudget) {
    }
}
