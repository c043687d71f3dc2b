package io.oneuihub.dev.litellm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public 2025 list prices (USD per token), context windows and capability flags for about 60 deployments
 * over 14 providers: what LiteLLM's cost map adds to /model/info. Amounts are from providers' price pages.
 */
final class RealisticCatalog {

    /** One cost-map entry; {@code known=false} models are not in LiteLLM's cost map (no provider, no prices). */
    record Entry(String modelName, String litellmModel, String provider, String mode, String inputCost, String outputCost,
            Integer maxInput, Integer maxOutput, String flags, boolean config) {

        boolean known() {
            return provider != null;
        }

        /** The fields LiteLLM's cost map adds to model_info. */
        Map<String, Object> costInfo() {
            Map<String, Object> info = new LinkedHashMap<>();
            if (!known()) {
                return info;
            }
            String key = litellmModel.substring(litellmModel.indexOf('/') + 1);
            info.put("key", key);
            info.put("max_tokens", maxOutput != null ? maxOutput : maxInput);
            info.put("max_input_tokens", maxInput);
            info.put("max_output_tokens", maxOutput);
            info.put("input_cost_per_token", Double.parseDouble(inputCost));
            info.put("cache_creation_input_token_cost", null);
            info.put("output_cost_per_token", Double.parseDouble(outputCost));
            info.put("output_cost_per_reasoning_token", null);
            info.put("litellm_provider", provider);
            info.put("mode", mode);
            List<String> f = List.of(flags.split(","));
            info.put("supports_system_messages", "chat".equals(mode) ? Boolean.TRUE : null);
            info.put("supports_vision", f.contains("V"));
            info.put("supports_function_calling", f.contains("F"));
            info.put("supports_parallel_function_calling", f.contains("P"));
            info.put("supports_reasoning", f.contains("R"));
            info.put("supports_web_search", f.contains("W"));
            info.put("supports_prompt_caching", f.contains("C"));
            info.put("supports_response_schema", f.contains("S"));
            info.put("supports_audio_input", f.contains("AI"));
            info.put("supports_audio_output", f.contains("AO"));
            info.put("supports_pdf_input", f.contains("PDF"));
            info.put("supports_native_streaming", null);
            info.put("tpm", null);
            info.put("rpm", null);
            info.put("supported_openai_params", "chat".equals(mode) ? List.of("max_tokens", "stream", "temperature", "tools") : List.of());
            return info;
        }
    }

    // name | litellm model | provider | mode | in $/token | out $/token | max input | max output | flags | config file?
    private static final String TABLE = """
            gpt-4o|openai/gpt-4o|openai|chat|2.5e-06|1e-05|128000|16384|V,F,P,C,S,PDF|config
            gpt-4o-mini|openai/gpt-4o-mini|openai|chat|1.5e-07|6e-07|128000|16384|V,F,P,C,S,PDF|config
            gpt-4.1|openai/gpt-4.1|openai|chat|2e-06|8e-06|1047576|32768|V,F,P,C,S,PDF|db
            gpt-4.1-mini|openai/gpt-4.1-mini|openai|chat|4e-07|1.6e-06|1047576|32768|V,F,P,C,S,PDF|db
            gpt-4.1-nano|openai/gpt-4.1-nano|openai|chat|1e-07|4e-07|1047576|32768|V,F,P,C,S|db
            gpt-5|openai/gpt-5|openai|chat|1.25e-06|1e-05|272000|128000|V,F,P,R,C,S,PDF|db
            gpt-5-mini|openai/gpt-5-mini|openai|chat|2.5e-07|2e-06|272000|128000|V,F,P,R,C,S,PDF|db
            o3|openai/o3|openai|chat|2e-06|8e-06|200000|100000|V,F,R,C,S|db
            o4-mini|openai/o4-mini|openai|chat|1.1e-06|4.4e-06|200000|100000|V,F,R,C,S|db
            gpt-4o-audio-preview|openai/gpt-4o-audio-preview|openai|chat|2.5e-06|1e-05|128000|16384|F,AI,AO|db
            text-embedding-3-small|openai/text-embedding-3-small|openai|embedding|2e-08|0.0|8191||-|config
            text-embedding-3-large|openai/text-embedding-3-large|openai|embedding|1.3e-07|0.0|8191||-|db
            claude-sonnet-4|anthropic/claude-sonnet-4-20250514|anthropic|chat|3e-06|1.5e-05|200000|64000|V,F,R,C,S,PDF|config
            claude-opus-4.1|anthropic/claude-opus-4-1-20250805|anthropic|chat|1.5e-05|7.5e-05|200000|32000|V,F,R,C,S,PDF|db
            claude-3-7-sonnet|anthropic/claude-3-7-sonnet-20250219|anthropic|chat|3e-06|1.5e-05|200000|128000|V,F,R,C,S,PDF|db
            claude-3-5-haiku|anthropic/claude-3-5-haiku-20241022|anthropic|chat|8e-07|4e-06|200000|8192|V,F,C,S|db
            gemini-2.5-pro|gemini/gemini-2.5-pro|gemini|chat|1.25e-06|1e-05|1048576|65535|V,F,P,R,W,C,S,AI,PDF|config
            gemini-2.5-flash|gemini/gemini-2.5-flash|gemini|chat|3e-07|2.5e-06|1048576|65535|V,F,P,R,W,C,S,AI,PDF|db
            gemini-2.5-flash-lite|gemini/gemini-2.5-flash-lite|gemini|chat|1e-07|4e-07|1048576|65535|V,F,P,R,W,S,AI,PDF|db
            gemini-2.0-flash|gemini/gemini-2.0-flash|gemini|chat|1e-07|4e-07|1048576|8192|V,F,P,W,S,AI,PDF|db
            gemini-2.5-pro|vertex_ai/gemini-2.5-pro|vertex_ai|chat|1.25e-06|1e-05|1048576|65535|V,F,P,R,W,C,S,AI,PDF|db
            gemini-2.5-flash|vertex_ai/gemini-2.5-flash|vertex_ai|chat|3e-07|2.5e-06|1048576|65535|V,F,P,R,W,C,S,AI,PDF|db
            claude-sonnet-4|vertex_ai/claude-sonnet-4@20250514|vertex_ai|chat|3e-06|1.5e-05|200000|64000|V,F,R,C,S,PDF|db
            text-embedding-005|vertex_ai/text-embedding-005|vertex_ai|embedding|2.5e-08|0.0|2048||-|db
            gpt-4o|azure/prod-gpt4o-eastus|azure|chat|2.5e-06|1e-05|128000|16384|V,F,P,C,S|db
            gpt-4o-mini|azure/prod-gpt4o-mini-eastus|azure|chat|1.65e-07|6.6e-07|128000|16384|V,F,P,C,S|db
            gpt-4.1|azure/prod-gpt41-westeu|azure|chat|2e-06|8e-06|1047576|32768|V,F,P,C,S|db
            o3-mini|azure/o3-mini|azure|chat|1.1e-06|4.4e-06|200000|100000|F,R,C,S|config
            claude-sonnet-4|bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0|bedrock|chat|3e-06|1.5e-05|200000|64000|V,F,R,C,S,PDF|db
            claude-3-5-haiku|bedrock/anthropic.claude-3-5-haiku-20241022-v1:0|bedrock|chat|8e-07|4e-06|200000|8192|F,S|db
            llama3-3-70b|bedrock/meta.llama3-3-70b-instruct-v1:0|bedrock|chat|7.2e-07|7.2e-07|128000|4096|F|db
            nova-pro|bedrock/amazon.nova-pro-v1:0|bedrock|chat|8e-07|3.2e-06|300000|10000|V,F,C,S,PDF|db
            nova-lite|bedrock/amazon.nova-lite-v1:0|bedrock|chat|6e-08|2.4e-07|300000|10000|V,F,C,S,PDF|db
            titan-embed-v2|bedrock/amazon.titan-embed-text-v2:0|bedrock|embedding|2e-08|0.0|8192||-|db
            mistral-large|mistral/mistral-large-latest|mistral|chat|2e-06|6e-06|128000|128000|F,S|config
            mistral-medium|mistral/mistral-medium-latest|mistral|chat|4e-07|2e-06|131072|8191|V,F,S|db
            mistral-small|mistral/mistral-small-latest|mistral|chat|1e-07|3e-07|32000|8191|F,S|db
            codestral|mistral/codestral-latest|mistral|chat|3e-07|9e-07|256000|8191|F|db
            mistral-embed|mistral/mistral-embed|mistral|embedding|1e-07|0.0|8192||-|db
            command-a|cohere/command-a-03-2025|cohere|chat|2.5e-06|1e-05|256000|8000|F|db
            command-r-plus|cohere/command-r-plus|cohere|chat|2.5e-06|1e-05|128000|4096|F|db
            command-r|cohere/command-r|cohere|chat|1.5e-07|6e-07|128000|4096|F|db
            rerank-v3.5|cohere/rerank-v3.5|cohere|rerank|0.0|0.0|4096||-|db
            llama-3.3-70b|groq/llama-3.3-70b-versatile|groq|chat|5.9e-07|7.9e-07|128000|32768|F,P|config
            llama-3.1-8b|groq/llama-3.1-8b-instant|groq|chat|5e-08|8e-08|128000|8192|F,P|db
            qwen3-32b|groq/qwen/qwen3-32b|groq|chat|2.9e-07|5.9e-07|131072|40960|F,R|db
            deepseek-chat|deepseek/deepseek-chat|deepseek|chat|2.7e-07|1.1e-06|65536|8192|F,C|db
            deepseek-reasoner|deepseek/deepseek-reasoner|deepseek|chat|5.5e-07|2.19e-06|65536|8192|R,C|db
            grok-4|xai/grok-4-0709|xai|chat|3e-06|1.5e-05|256000|256000|V,F,R,W,S|db
            grok-3|xai/grok-3|xai|chat|3e-06|1.5e-05|131072|131072|F,W,S|db
            grok-3-mini|xai/grok-3-mini|xai|chat|3e-07|5e-07|131072|131072|F,R,W,S|db
            llama3|ollama/llama3|ollama|chat|0.0|0.0|8192|8192|-|config
            mistral-nemo|ollama/mistral-nemo|ollama|chat|0.0|0.0|128000|128000|F|db
            local-coder|ollama_chat/qwen2.5-coder:14b-instruct-q6_K|||||||-|db
            sonar-pro|perplexity/sonar-pro|perplexity|chat|3e-06|1.5e-05|200000|8000|W|db
            sonar|perplexity/sonar|perplexity|chat|1e-06|1e-06|128000|8000|W|db
            llama-3.3-70b-turbo|together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo|together_ai|chat|8.8e-07|8.8e-07|131072|8192|F,P|db
            qwen3-235b|together_ai/Qwen/Qwen3-235B-A22B-fp8-tput|together_ai|chat|2e-07|6e-07|40000|40000|F,R|db
            """;

    static final List<Entry> ENTRIES = parse();

    private RealisticCatalog() {
    }

    /** The cost-map entry LiteLLM would match for this litellm model string, if any. */
    static Entry lookup(String litellmModel) {
        if (litellmModel == null) {
            return null;
        }
        for (Entry e : ENTRIES) {
            // the deployment's own model string, or "provider/public-name" as an Azure base_model names it
            if (e.known() && (e.litellmModel().equals(litellmModel) || (e.provider() + "/" + e.modelName()).equals(litellmModel))) {
                return e;
            }
        }
        return null;
    }

    private static List<Entry> parse() {
        List<Entry> entries = new ArrayList<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            entries.add(new Entry(f[0], f[1], blank(f[2]), blank(f[3]), blank(f[4]), blank(f[5]), integer(f[6]), integer(f[7]),
                    f[8], "config".equals(f[9])));
        }
        return List.copyOf(entries);
    }

    private static String blank(String s) {
        return s.isBlank() ? null : s;
    }

    private static Integer integer(String s) {
        return s.isBlank() ? null : Integer.valueOf(s);
    }
}
