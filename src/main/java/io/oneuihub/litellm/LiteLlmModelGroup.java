package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import io.oneuihub.catalog.ModelCapability;

/** One public model name with what LiteLLM aggregated over its deployments ({@code /model_group/info}). */
public record LiteLlmModelGroup(
        String name,
        List<String> providers,
        String mode,
        Integer maxInputTokens,
        Integer maxOutputTokens,
        BigDecimal inputCostPerToken,
        BigDecimal outputCostPerToken,
        Long tpm,
        Long rpm,
        Set<ModelCapability> capabilities) {

    public LiteLlmModelGroup {
        providers = providers == null ? List.of() : List.copyOf(providers);
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    }
}
