package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.oneuihub.db.Values;
import io.oneuihub.litellm.LiteLlmDeployment;

/**
 * The LiteLLM-owned columns of one deployment row, as {@link DeploymentWriter} stores them (component names are
 * the columns of its recordset). Normalised as stored, like {@link ModelRow}.
 *
 * @param externalId LiteLLM's model_info.id
 * @param params     litellm_params as LiteLLM showed them (secrets already masked or removed there)
 */
public record DeploymentRow(
        UUID id,
        String externalId,
        UUID modelId,
        String litellmModel,
        String provider,
        String mode,
        BigDecimal inputCostPerToken,
        BigDecimal outputCostPerToken,
        Integer maxTokens,
        Integer maxInputTokens,
        Integer maxOutputTokens,
        Long rpm,
        Long tpm,
        List<ModelCapability> capabilities,
        boolean editable,
        Map<String, Object> params,
        RecordStatus status) {

    public DeploymentRow {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(status, "status");
        inputCostPerToken = Values.decimal(inputCostPerToken, Values.PRICE_SCALE);
        outputCostPerToken = Values.decimal(outputCostPerToken, Values.PRICE_SCALE);
        capabilities = capabilities == null ? List.of()
                : capabilities.stream().distinct().sorted(Comparator.comparing(Enum::name)).toList();
    }

    /** The LiteLLM-owned part of a stored deployment. */
    public static DeploymentRow of(Deployment d) {
        return new DeploymentRow(d.id(), d.externalId(), d.modelId(), d.litellmModel(), d.provider(), d.mode(),
                d.pricing().inputCostPerToken(), d.pricing().outputCostPerToken(), d.limits().maxTokens(),
                d.limits().maxInputTokens(), d.limits().maxOutputTokens(), d.limits().rpm(), d.limits().tpm(),
                d.capabilities(), d.editable(), d.params(), d.status());
    }

    /**
     * What the hub stores for a deployment LiteLLM reports (from a sync's read or a mutation's re-read through
     * /model/info): the one mapping both use, so that neither makes the other see a change.
     */
    public static DeploymentRow of(LiteLlmDeployment d, UUID id, UUID modelId) {
        return new DeploymentRow(id, d.id(), modelId, d.litellmModel(), d.provider(), d.mode(), d.inputCostPerToken(),
                d.outputCostPerToken(), d.maxTokens(), d.maxInputTokens(), d.maxOutputTokens(), d.rpm(), d.tpm(),
                List.copyOf(d.capabilities()), d.editable(), d.params(), RecordStatus.ACTIVE);
    }
}
