package io.oneuihub.litellm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oneuihub.budget.ModelBudget;

/** The JSON bodies LiteLLM expects, built from the public request records. */
final class RequestBodies {

    private RequestBodies() {
    }

    static Map<String, Object> newDeployment(NewDeployment deployment) {
        Map<String, Object> modelInfo = new LinkedHashMap<>(deployment.modelInfo());
        if (deployment.id() != null) {
            modelInfo.put("id", deployment.id());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", deployment.modelName());
        body.put("litellm_params", Secrets.withoutMaskedValues(deployment.litellmParams()));
        body.put("model_info", modelInfo);
        return body;
    }

    static Map<String, Object> deploymentUpdate(String id, DeploymentUpdate update) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (update.modelName() != null) {
            body.put("model_name", update.modelName());
        }
        if (update.litellmParams() != null) {
            body.put("litellm_params", Secrets.withoutMaskedValues(update.litellmParams()));
        }
        Map<String, Object> modelInfo = new LinkedHashMap<>();
        // without an id LiteLLM generates a random one and merges it into the stored model_info
        modelInfo.put("id", id);
        if (update.modelInfo() != null) {
            update.modelInfo().forEach((key, value) -> {
                if (!"id".equals(key)) {
                    modelInfo.put(key, value);
                }
            });
        }
        body.put("model_info", modelInfo);
        return body;
    }

    /** {@code POST /model/update} of old builds refuses a body without litellm_params. */
    static Map<String, Object> legacyDeploymentUpdate(Map<String, Object> patchBody) {
        Map<String, Object> body = new LinkedHashMap<>(patchBody);
        body.putIfAbsent("litellm_params", Map.of());
        return body;
    }

    static Map<String, Object> budget(BudgetRequest r, boolean full) {
        Map<String, Object> body = new LinkedHashMap<>();
        putIf(body, "budget_id", r.id(), false);
        putIf(body, "max_budget", r.maxBudget(), full);
        putIf(body, "soft_budget", r.softBudget(), full);
        putIf(body, "max_parallel_requests", r.maxParallelRequests(), full);
        putIf(body, "tpm_limit", r.tpmLimit(), full);
        putIf(body, "rpm_limit", r.rpmLimit(), full);
        putIf(body, "budget_duration", r.duration(), full);
        putIf(body, "budget_reset_at", r.resetAt() == null ? null : r.resetAt().toString(), full && r.duration() == null);
        putIf(body, "model_max_budget", r.modelBudgets().isEmpty() ? null : modelMaxBudget(r.modelBudgets()), full);
        return body;
    }

    private static Map<String, Object> modelMaxBudget(List<ModelBudget> budgets) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ModelBudget b : budgets) {
            Map<String, Object> limit = new LinkedHashMap<>();
            putIf(limit, "max_budget", b.maxBudget(), false);
            putIf(limit, "budget_duration", b.duration(), false);
            putIf(limit, "tpm_limit", b.tpmLimit(), false);
            putIf(limit, "rpm_limit", b.rpmLimit(), false);
            out.put(b.model(), limit);
        }
        return out;
    }

    static Map<String, Object> customer(CustomerRequest r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", r.id());
        putIf(body, "alias", r.alias(), false);
        putIf(body, "budget_id", r.budgetId(), false);
        putIf(body, "blocked", r.blocked(), false);
        putIf(body, "allowed_model_region", r.allowedModelRegion(), false);
        putIf(body, "default_model", r.defaultModel(), false);
        return body;
    }

    /**
     * {@code /customer/new} with inline limits: LiteLLM creates a private budget row for the customer from them
     * (never together with a budget_id: LiteLLM answers 422 for max_budget with budget_id).
     */
    static Map<String, Object> customerWithOwnBudget(CustomerRequest r, BudgetRequest limits) {
        Map<String, Object> body = customer(r);
        Map<String, Object> inline = budget(limits, false);
        inline.remove("budget_id");
        inline.remove("budget_reset_at"); // LiteLLM computes the first reset itself
        body.remove("budget_id");
        body.putAll(inline);
        return body;
    }

    static Map<String, Object> userUpdate(UserBudgetUpdate update) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", update.userId());
        body.put("max_budget", update.maxBudget());
        putIf(body, "budget_duration", update.duration(), false);
        putIf(body, "tpm_limit", update.tpmLimit(), false);
        putIf(body, "rpm_limit", update.rpmLimit(), false);
        putIf(body, "max_parallel_requests", update.maxParallelRequests(), false);
        putIf(body, "spend", update.spend(), false);
        if (!update.modelBudgets().isEmpty()) {
            body.put("model_max_budget", modelMaxBudget(update.modelBudgets()));
        }
        return body;
    }

    static Map<String, Object> teamUpdate(TeamBudgetUpdate update) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("team_id", update.teamId());
        body.put("max_budget", update.maxBudget());
        body.put("soft_budget", update.softBudget());
        if (update.sendDuration()) {
            body.put("budget_duration", update.duration());
        }
        body.put("tpm_limit", update.tpmLimit());
        body.put("rpm_limit", update.rpmLimit());
        body.put("max_parallel_requests", update.maxParallelRequests());
        if (update.modelBudgets() != null) {
            body.put("model_max_budget", modelMaxBudget(update.modelBudgets()));
        }
        return body;
    }

    private static void putIf(Map<String, Object> body, String key, Object value, boolean evenIfNull) {
        if (value != null || evenIfNull) {
            body.put(key, value);
        }
    }
}
