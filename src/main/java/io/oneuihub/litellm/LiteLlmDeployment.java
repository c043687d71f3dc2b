package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

import io.oneuihub.catalog.ModelCapability;

/**
 * One LiteLLM deployment (a {@code model_info.id}) as the hub needs it.
 *
 * @param modelName  public name callers use; a team model's {@code team_public_model_name} when present
 * @param provider   {@code litellm_provider}, else {@code custom_llm_provider}, else the prefix of the
 *                   litellm model before '/'; null when none of those say
 * @param editable   true only for DB-stored deployments; LiteLLM refuses to change config-file ones
 * @param params     {@code litellm_params} as LiteLLM showed them: secrets are removed or masked there
 */
public record LiteLlmDeployment(
        String id,
        String modelName,
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
        Set<ModelCapability> capabilities,
        boolean editable,
        Map<String, Object> params,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public LiteLlmDeployment {
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        params = params == null ? Map.of() : params;
    }
}
