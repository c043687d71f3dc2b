package io.oneuihub.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Comparator;
import java.util.HashMap;
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

    /** The company the models sync creates for a provider key that no company maps yet. */
    public record Discovered(String slug, String name) {
    }

    /** LiteLLM provider key -> the default company the models sync (and a model mutation) creates for it. */
    private static final Map<String, Discovered> DEFAULT_COMPANIES = defaults();

    /**
     * The company for a provider key no company maps yet: a well-known maker or cloud, else one named after the
     * key. The models sync and the model mutations both create companies this way, so neither makes the other
     * see a change.
     */
    public static Discovered discovered(String providerKey) {
        Discovered known = DEFAULT_COMPANIES.get(providerKey);
        return known != null ? known : new Discovered(slug(providerKey), providerKey);
    }

    static String slug(String provider) {
        String slug = provider.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "provider-" + Integer.toHexString(provider.hashCode()) : slug;
    }

    private static Map<String, Discovered> defaults() {
        Map<String, Discovered> m = new HashMap<>();
        String[][] rows = {
                {"openai", "OpenAI", "openai", "text-completion-openai", "chatgpt"},
                {"anthropic", "Anthropic", "anthropic"},
                {"google", "Google", "gemini", "vertex_ai", "vertex_ai_beta", "vertex_ai-language-models", "palm"},
                {"microsoft", "Microsoft", "azure", "azure_ai", "azure_text"},
                {"amazon", "Amazon", "bedrock", "bedrock_converse", "sagemaker", "sagemaker_chat"},
                {"meta", "Meta", "meta_llama"},
                {"mistral", "Mistral AI", "mistral", "codestral", "text-completion-codestral"},
                {"cohere", "Cohere", "cohere", "cohere_chat"},
                {"deepseek", "DeepSeek", "deepseek"},
                {"xai", "xAI", "xai"},
                {"alibaba", "Alibaba Cloud", "dashscope"},
                {"perplexity", "Perplexity", "perplexity"},
                {"groq", "Groq", "groq"},
                {"together", "Together AI", "together_ai"},
                {"fireworks", "Fireworks AI", "fireworks_ai"},
                {"ollama", "Ollama", "ollama", "ollama_chat"},
                {"huggingface", "Hugging Face", "huggingface"},
                {"openrouter", "OpenRouter", "openrouter"},
                {"nvidia", "NVIDIA", "nvidia_nim"},
                {"ibm", "IBM", "watsonx", "watsonx_text"},
                {"databricks", "Databricks", "databricks"},
                {"ai21", "AI21 Labs", "ai21", "ai21_chat"},
                {"voyage", "Voyage AI", "voyage"},
                {"cerebras", "Cerebras", "cerebras"},
        };
        for (String[] row : rows) {
            for (int i = 2; i < row.length; i++) {
                m.put(row[i], new Discovered(row[0], row[1]));
            }
        }
        return Map.copyOf(m);
    }
}
