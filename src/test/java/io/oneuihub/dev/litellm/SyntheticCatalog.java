package io.oneuihub.dev.litellm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A large catalog computed on demand: deployment i is derived from i alone, so serving 10,000 deployments
 * costs one page of memory, not the whole list.
 */
record SyntheticCatalog(int count, int providers) {

    static final SyntheticCatalog NONE = new SyntheticCatalog(0, 1);
    private static final String ID_PREFIX = "5e7e0000-0000-4000-8000-";

    String id(int i) {
        return ID_PREFIX + String.format("%012d", i);
    }

    int indexOf(String id) {
        if (id == null || !id.startsWith(ID_PREFIX)) {
            return -1;
        }
        try {
            int i = Integer.parseInt(id.substring(ID_PREFIX.length()));
            return i >= 0 && i < count ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String provider(int i) {
        return "provider-" + String.format("%02d", i % providers);
    }

    String modelName(int i) {
        return "model-" + String.format("%05d", i / 2); // two deployments per public name, like a load-balanced group
    }

    Map<String, Object> view(int i) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", provider(i) + "/model-" + i);
        params.put("api_base", "https://" + provider(i) + ".example.invalid/v1");
        params.put("rpm", 100 + i % 900);
        params.put("tpm", 10_000L * (1 + i % 50));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", id(i));
        info.put("db_model", i % 3 != 0);
        info.put("litellm_provider", provider(i));
        info.put("mode", i % 10 == 0 ? "embedding" : "chat");
        info.put("max_tokens", 4096 * (1 + i % 8));
        info.put("max_input_tokens", 8192 * (1 + i % 16));
        info.put("max_output_tokens", 4096 * (1 + i % 8));
        info.put("input_cost_per_token", (1 + i % 97) * 1e-7);
        info.put("output_cost_per_token", (1 + i % 89) * 4e-7);
        info.put("supports_vision", i % 2 == 0);
        info.put("supports_function_calling", i % 3 == 0);
        info.put("supports_reasoning", i % 5 == 0);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model_name", modelName(i));
        view.put("litellm_params", params);
        view.put("model_info", info);
        return view;
    }
}
