package io.oneuihub.catalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How a model's company follows its deployments' provider keys. The models sync and the company mutations
 * both call this, so a mutation never assigns a company the next sync would change back.
 */
public final class CompanyChoice {

    /**
     * Clouds and inference hosts that serve other makers' models. On a tie they lose to the maker's own
     * provider key, so gpt-4o deployed on openai and azure belongs to OpenAI, not Microsoft.
     */
    public static final Set<String> HOSTING_PLATFORMS = Set.of("azure", "bedrock", "bedrock_converse", "vertex_ai",
            "together_ai", "groq", "fireworks_ai", "openrouter", "ollama", "deepinfra", "replicate", "sagemaker",
            "anyscale", "cloudflare", "databricks", "watsonx", "hosted_vllm", "openai_compatible");

    private CompanyChoice() {
    }

    /** The company_provider key of a LiteLLM provider: trimmed, lower-case; null when there is none. */
    public static String providerKey(String provider) {
        if (provider == null || provider.isBlank()) {
            return null;
        }
        return provider.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The company of the most deployments (one vote per deployment's provider); ties go to the maker's own
     * provider before hosting platforms, then alphabetically. {@code companyOf} is called once per vote in that
     * order (the sync plans new companies as it goes) and may return null for a provider that maps to none.
     *
     * @param providers the deployments' providers as LiteLLM reports them (nulls allowed)
     */
    public static <C> C choose(Collection<String> providers, Function<String, C> companyOf) {
        Map<C, Integer> votes = new LinkedHashMap<>();
        providers.stream()
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing((String p) -> HOSTING_PLATFORMS.contains(p)).thenComparing(Comparator.naturalOrder()))
                .forEach(p -> {
                    C company = companyOf.apply(p);
                    if (company != null) {
                        votes.merge(company, 1, Integer::sum);
                    }
                });
        C best = null;
        int bestVotes = 0;
        for (Map.Entry<C, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > bestVotes) {
                best = vote.getKey();
                bestVotes = vote.getValue();
            }
        }
        return best;
    }
}
