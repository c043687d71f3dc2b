package io.oneuihub.dev;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oneuihub.budget.Budget;
import io.oneuihub.budget.BudgetRepository;
import io.oneuihub.budget.BudgetScope;
import io.oneuihub.budget.ModelBudget;
import io.oneuihub.catalog.Company;
import io.oneuihub.catalog.CompanyRepository;
import io.oneuihub.catalog.Deployment;
import io.oneuihub.catalog.DeploymentRepository;
import io.oneuihub.catalog.Model;
import io.oneuihub.catalog.ModelCapability;
import io.oneuihub.catalog.ModelLimits;
import io.oneuihub.catalog.ModelPricing;
import io.oneuihub.catalog.ModelRepository;
import io.oneuihub.catalog.RecordStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A realistic catalog (public list prices of 2025, USD per million tokens) written through the
 * service's own repositories. Used by the dev launcher and by tests that need believable data.
 */
public final class DevCatalog {

    public record CompanySeed(String slug, String name, String website, String description, List<String> providers) {
    }

    /** prices are per million tokens; capabilities as enum names. */
    public record ModelSeed(String company, String name, String provider, String litellmModel, String mode,
            String inPerMillion, String outPerMillion, Integer maxInput, Integer maxOutput, String capabilities) {
    }

    public static final List<CompanySeed> COMPANIES = List.of(
            new CompanySeed("openai", "OpenAI", "https://openai.com", "Makers of GPT and the o-series reasoning models.", List.of("openai", "text-completion-openai")),
            new CompanySeed("anthropic", "Anthropic", "https://www.anthropic.com", "Makers of the Claude family.", List.of("anthropic")),
            new CompanySeed("google", "Google", "https://ai.google.dev", "Gemini models on AI Studio and Vertex AI.", List.of("gemini", "vertex_ai", "vertex_ai-language-models")),
            new CompanySeed("microsoft", "Microsoft", "https://azure.microsoft.com", "Phi models and Azure OpenAI.", List.of("azure", "azure_ai")),
            new CompanySeed("amazon", "Amazon", "https://aws.amazon.com/bedrock", "Nova and Titan models on Bedrock.", List.of("bedrock", "bedrock_converse")),
            new CompanySeed("meta", "Meta", "https://llama.meta.com", "The open-weight Llama family.", List.of("meta_llama", "groq", "together_ai", "ollama")),
            new CompanySeed("mistral", "Mistral AI", "https://mistral.ai", "Mistral, Codestral and Pixtral.", List.of("mistral", "codestral")),
            new CompanySeed("cohere", "Cohere", "https://cohere.com", "Command and Embed models for enterprises.", List.of("cohere", "cohere_chat")),
            new CompanySeed("deepseek", "DeepSeek", "https://www.deepseek.com", "DeepSeek-V3 and R1.", List.of("deepseek")),
            new CompanySeed("xai", "xAI", "https://x.ai", "The Grok models.", List.of("xai")),
            new CompanySeed("alibaba", "Alibaba Cloud", "https://www.alibabacloud.com", "The Qwen family on DashScope.", List.of("dashscope")),
            new CompanySeed("perplexity", "Perplexity", "https://www.perplexity.ai", "Sonar models with built-in web search.", List.of("perplexity")));

    private static final String CHAT = "FUNCTION_CALLING,PARALLEL_FUNCTION_CALLING,RESPONSE_SCHEMA";

    public static final List<ModelSeed> MODELS = List.of(
            new ModelSeed("openai", "gpt-4o", "openai", "openai/gpt-4o", "chat", "2.5", "10", 128000, 16384, "VISION,PROMPT_CACHING,PDF_INPUT," + CHAT),
            new ModelSeed("openai", "gpt-4o-mini", "openai", "openai/gpt-4o-mini", "chat", "0.15", "0.6", 128000, 16384, "VISION,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "gpt-4.1", "openai", "openai/gpt-4.1", "chat", "2", "8", 1047576, 32768, "VISION,PROMPT_CACHING,PDF_INPUT," + CHAT),
            new ModelSeed("openai", "gpt-4.1-mini", "openai", "openai/gpt-4.1-mini", "chat", "0.4", "1.6", 1047576, 32768, "VISION,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "gpt-4.1-nano", "openai", "openai/gpt-4.1-nano", "chat", "0.1", "0.4", 1047576, 32768, "VISION,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "gpt-5", "openai", "openai/gpt-5", "chat", "1.25", "10", 272000, 128000, "VISION,REASONING,PROMPT_CACHING,PDF_INPUT," + CHAT),
            new ModelSeed("openai", "gpt-5-mini", "openai", "openai/gpt-5-mini", "chat", "0.25", "2", 272000, 128000, "VISION,REASONING,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "o3", "openai", "openai/o3", "chat", "2", "8", 200000, 100000, "VISION,REASONING,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "o4-mini", "openai", "openai/o4-mini", "chat", "1.1", "4.4", 200000, 100000, "VISION,REASONING,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "o1", "openai", "openai/o1", "chat", "15", "60", 200000, 100000, "VISION,REASONING,PROMPT_CACHING," + CHAT),
            new ModelSeed("openai", "gpt-4o-audio-preview", "openai", "openai/gpt-4o-audio-preview", "chat", "2.5", "10", 128000, 16384, "AUDIO_INPUT,AUDIO_OUTPUT," + CHAT),
            new ModelSeed("openai", "text-embedding-3-small", "openai", "openai/text-embedding-3-small", "embedding", "0.02", "0", 8191, null, ""),
            new ModelSeed("openai", "text-embedding-3-large", "openai", "openai/text-embedding-3-large", "embedding", "0.13", "0", 8191, null, ""),
            new ModelSeed("openai", "dall-e-3", "openai", "openai/dall-e-3", "image_generation", null, null, null, null, ""),
            new ModelSeed("anthropic", "claude-opus-4-1", "anthropic", "anthropic/claude-opus-4-1-20250805", "chat", "15", "75", 200000, 32000, "VISION,REASONING,PROMPT_CACHING,PDF_INPUT,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("anthropic", "claude-opus-4", "anthropic", "anthropic/claude-opus-4-20250514", "chat", "15", "75", 200000, 32000, "VISION,REASONING,PROMPT_CACHING,PDF_INPUT,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("anthropic", "claude-sonnet-4", "anthropic", "anthropic/claude-sonnet-4-20250514", "chat", "3", "15", 200000, 64000, "VISION,REASONING,PROMPT_CACHING,PDF_INPUT,WEB_SEARCH,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("anthropic", "claude-3-7-sonnet", "anthropic", "anthropic/claude-3-7-sonnet-20250219", "chat", "3", "15", 200000, 128000, "VISION,REASONING,PROMPT_CACHING,PDF_INPUT,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("anthropic", "claude-3-5-haiku", "anthropic", "anthropic/claude-3-5-haiku-20241022", "chat", "0.8", "4", 200000, 8192, "VISION,PROMPT_CACHING,PDF_INPUT,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("google", "gemini-2.5-pro", "gemini", "gemini/gemini-2.5-pro", "chat", "1.25", "10", 1048576, 65535, "VISION,REASONING,AUDIO_INPUT,PDF_INPUT,WEB_SEARCH,PROMPT_CACHING," + CHAT),
            new ModelSeed("google", "gemini-2.5-flash", "gemini", "gemini/gemini-2.5-flash", "chat", "0.3", "2.5", 1048576, 65535, "VISION,REASONING,AUDIO_INPUT,PDF_INPUT,WEB_SEARCH,PROMPT_CACHING," + CHAT),
            new ModelSeed("google", "gemini-2.5-flash-lite", "gemini", "gemini/gemini-2.5-flash-lite", "chat", "0.1", "0.4", 1048576, 65535, "VISION,REASONING,AUDIO_INPUT,PDF_INPUT," + CHAT),
            new ModelSeed("google", "gemini-2.0-flash", "vertex_ai", "vertex_ai/gemini-2.0-flash-001", "chat", "0.15", "0.6", 1048576, 8192, "VISION,AUDIO_INPUT,PDF_INPUT,WEB_SEARCH," + CHAT),
            new ModelSeed("google", "text-embedding-005", "vertex_ai", "vertex_ai/text-embedding-005", "embedding", "0.025", "0", 2048, null, ""),
            new ModelSeed("microsoft", "phi-4", "azure_ai", "azure_ai/Phi-4", "chat", "0.125", "0.5", 16384, 16384, "FUNCTION_CALLING"),
            new ModelSeed("microsoft", "phi-4-mini", "azure_ai", "azure_ai/Phi-4-mini-instruct", "chat", "0.075", "0.3", 131072, 4096, "FUNCTION_CALLING"),
            new ModelSeed("microsoft", "phi-4-multimodal", "azure_ai", "azure_ai/Phi-4-multimodal-instruct", "chat", "0.08", "0.32", 131072, 4096, "VISION,AUDIO_INPUT"),
            new ModelSeed("amazon", "nova-pro", "bedrock", "bedrock/amazon.nova-pro-v1:0", "chat", "0.8", "3.2", 300000, 10000, "VISION,PDF_INPUT,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("amazon", "nova-lite", "bedrock", "bedrock/amazon.nova-lite-v1:0", "chat", "0.06", "0.24", 300000, 10000, "VISION,PDF_INPUT,FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("amazon", "nova-micro", "bedrock", "bedrock/amazon.nova-micro-v1:0", "chat", "0.035", "0.14", 128000, 10000, "FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("amazon", "titan-embed-text-v2", "bedrock", "bedrock/amazon.titan-embed-text-v2:0", "embedding", "0.02", "0", 8192, null, ""),
            new ModelSeed("meta", "llama-3.3-70b", "groq", "groq/llama-3.3-70b-versatile", "chat", "0.59", "0.79", 128000, 32768, "FUNCTION_CALLING,RESPONSE_SCHEMA"),
            new ModelSeed("meta", "llama-3.1-8b", "groq", "groq/llama-3.1-8b-instant", "chat", "0.05", "0.08", 128000, 8192, "FUNCTION_CALLING"),
            new ModelSeed("meta", "llama-4-maverick", "together_ai", "together_ai/meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "chat", "0.27", "0.85", 1048576, 1048576, "VISION,FUNCTION_CALLING"),
            new ModelSeed("meta", "llama-4-scout", "together_ai", "together_ai/meta-llama/Llama-4-Scout-17B-16E-Instruct", "chat", "0.18", "0.59", 327680, 327680, "VISION,FUNCTION_CALLING"),
            new ModelSeed("meta", "llama3.2-local", "ollama", "ollama/llama3.2", "chat", null, null, 131072, 8192, ""),
            new ModelSeed("mistral", "mistral-large", "mistral", "mistral/mistral-large-latest", "chat", "2", "6", 128000, 128000, CHAT),
            new ModelSeed("mistral", "mistral-medium", "mistral", "mistral/mistral-medium-latest", "chat", "0.4", "2", 131072, 8191, "VISION," + CHAT),
            new ModelSeed("mistral", "mistral-small", "mistral", "mistral/mistral-small-latest", "chat", "0.1", "0.3", 32000, 8191, CHAT),
            new ModelSeed("mistral", "codestral", "codestral", "codestral/codestral-latest", "chat", "0.3", "0.9", 256000, 8191, "FUNCTION_CALLING"),
            new ModelSeed("mistral", "pixtral-large", "mistral", "mistral/pixtral-large-latest", "chat", "2", "6", 128000, 128000, "VISION," + CHAT),
            new ModelSeed("cohere", "command-a", "cohere_chat", "cohere_chat/command-a-03-2025", "chat", "2.5", "10", 256000, 8000, "FUNCTION_CALLING"),
            new ModelSeed("cohere", "command-r-plus", "cohere_chat", "cohere_chat/command-r-plus", "chat", "2.5", "10", 128000, 4096, "FUNCTION_CALLING"),
            new ModelSeed("cohere", "command-r", "cohere_chat", "cohere_chat/command-r", "chat", "0.15", "0.6", 128000, 4096, "FUNCTION_CALLING"),
            new ModelSeed("cohere", "embed-english-v3", "cohere", "cohere/embed-english-v3.0", "embedding", "0.1", "0", 1024, null, ""),
            new ModelSeed("deepseek", "deepseek-chat", "deepseek", "deepseek/deepseek-chat", "chat", "0.27", "1.1", 65536, 8192, "PROMPT_CACHING,FUNCTION_CALLING"),
            new ModelSeed("deepseek", "deepseek-reasoner", "deepseek", "deepseek/deepseek-reasoner", "chat", "0.55", "2.19", 65536, 8192, "REASONING,PROMPT_CACHING"),
            new ModelSeed("xai", "grok-4", "xai", "xai/grok-4", "chat", "3", "15", 256000, 256000, "VISION,REASONING,WEB_SEARCH," + CHAT),
            new ModelSeed("xai", "grok-3", "xai", "xai/grok-3", "chat", "3", "15", 131072, 131072, "WEB_SEARCH," + CHAT),
            new ModelSeed("xai", "grok-3-mini", "xai", "xai/grok-3-mini", "chat", "0.3", "0.5", 131072, 131072, "REASONING,WEB_SEARCH," + CHAT),
            new ModelSeed("alibaba", "qwen-max", "dashscope", "dashscope/qwen-max", "chat", "1.6", "6.4", 30720, 8192, "FUNCTION_CALLING"),
            new ModelSeed("alibaba", "qwen-plus", "dashscope", "dashscope/qwen-plus", "chat", "0.4", "1.2", 129024, 16384, "FUNCTION_CALLING,REASONING"),
            new ModelSeed("alibaba", "qwen-turbo", "dashscope", "dashscope/qwen-turbo", "chat", "0.05", "0.2", 1000000, 16384, "FUNCTION_CALLING"),
            new ModelSeed("perplexity", "sonar-pro", "perplexity", "perplexity/sonar-pro", "chat", "3", "15", 200000, 8000, "WEB_SEARCH"),
            new ModelSeed("perplexity", "sonar", "perplexity", "perplexity/sonar", "chat", "1", "1", 128000, 8000, "WEB_SEARCH"));

    public static final int MODELS_COUNT = MODELS.size();

    private DevCatalog() {
    }

    /** Writes the companies, models with one deployment each (gpt-4o also on Azure), and a few budgets. */
    public static Mono<Void> seed(CompanyRepository companies, ModelRepository models, DeploymentRepository deployments,
            BudgetRepository budgets) {
        OffsetDateTime now = OffsetDateTime.now();
        Mono<Map<String, Company>> bySlug = Flux.fromIterable(COMPANIES)
                .concatMap(c -> companies.insert(c.slug(), c.name(), c.description(), null, c.website(), c.providers()))
                .collectMap(Company::slug);
        return bySlug.flatMapMany(map -> Flux.fromIterable(MODELS).concatMap(seed -> {
                    Model model = model(seed, map.get(seed.company()).id(), now);
                    return models.insert(model).flatMapMany(saved -> Flux.concat(
                            deployments.insert(deployment(saved, seed, seed.provider(), seed.litellmModel(), now)),
                            seed.name().equals("gpt-4o")
                                    ? deployments.insert(deployment(saved, seed, "azure", "azure/gpt-4o-eu", now))
                                    : Mono.empty()));
                }))
                .thenMany(Flux.fromIterable(budgetSeeds(now)).concatMap(budgets::insert))
                .then();
    }

    static Model model(ModelSeed seed, java.util.UUID companyId, OffsetDateTime now) {
        return new Model(null, seed.name(), companyId, false, null, seed.mode(), pricing(seed), limits(seed),
                capabilities(seed), true, seed.inPerMillion() == null && "ollama".equals(seed.provider()),
                RecordStatus.ACTIVE, externalId(seed.litellmModel()), null, null, now);
    }

    static Deployment deployment(Model model, ModelSeed seed, String provider, String litellmModel, OffsetDateTime now) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", litellmModel);
        if (provider.equals("azure")) {
            params.put("api_base", "https://hub-eu.openai.azure.com");
            params.put("api_version", "2025-01-01-preview");
        }
        boolean configModel = !provider.equals("azure");
        return new Deployment(null, model.id(), externalId(litellmModel), litellmModel, provider, seed.mode(),
                pricing(seed), limits(seed), capabilities(seed), !configModel, params, RecordStatus.ACTIVE, null, null, now);
    }

    private static ModelPricing pricing(ModelSeed seed) {
        return new ModelPricing(perToken(seed.inPerMillion()), perToken(seed.outPerMillion()));
    }

    private static ModelLimits limits(ModelSeed seed) {
        return new ModelLimits(seed.maxOutput() != null ? seed.maxOutput() : seed.maxInput(), seed.maxInput(),
                seed.maxOutput(), null, null);
    }

    private static List<ModelCapability> capabilities(ModelSeed seed) {
        return seed.capabilities().isEmpty() ? List.of()
                : Arrays.stream(seed.capabilities().split(",")).map(ModelCapability::valueOf).distinct().toList();
    }

    private static BigDecimal perToken(String perMillion) {
        return perMillion == null ? null : new BigDecimal(perMillion).movePointLeft(6);
    }

    /** Config-file deployments get a SHA-256 id from their params in LiteLLM; mimic that shape. */
    static String externalId(String litellmModel) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(litellmModel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Budget> budgetSeeds(OffsetDateTime now) {
        List<Budget> seeds = new ArrayList<>();
        seeds.add(budget(BudgetScope.SHARED, "free_tier", "Free tier", "10", "0", "30d", now));
        seeds.add(budget(BudgetScope.SHARED, "pro_tier", "Pro tier", "500", "0", "1mo", now));
        seeds.add(budget(BudgetScope.CUSTOMER, "acme-corp", "ACME Corp", "1000", "412.37", "30d", now));
        seeds.add(budget(BudgetScope.TEAM, "team-research", "Research", "2500", "1890.5", "1mo", now));
        seeds.add(budget(BudgetScope.USER, "alice@example.com", "alice@example.com", "100", "12.25", "7d", now));
        return seeds;
    }

    private static Budget budget(BudgetScope scope, String externalId, String name, String max, String spend,
            String duration, OffsetDateTime now) {
        return new Budget(null, scope, externalId, name, new BigDecimal(max), null, new BigDecimal(spend), duration,
                now.plusDays(7), null, null, null,
                List.of(new ModelBudget("gpt-4o", new BigDecimal(max).divide(BigDecimal.TEN), duration, null, null)),
                io.oneuihub.catalog.RecordStatus.ACTIVE, null, null, now);
    }
}
