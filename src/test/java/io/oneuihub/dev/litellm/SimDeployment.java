package io.oneuihub.dev.litellm;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A deployment as LiteLLM stores it: params in clear (the simulator's "decrypted" view), configured
 * model_info, and whether it lives in the database or in the config file.
 */
record SimDeployment(String id, String modelName, Map<String, Object> litellmParams, Map<String, Object> modelInfo,
        boolean dbModel, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    SimDeployment {
        litellmParams = Map.copyOf(nonNull(litellmParams));
        modelInfo = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nonNull(modelInfo)));
    }

    String litellmModel() {
        Object model = litellmParams.get("model");
        return model == null ? null : model.toString();
    }

    private static Map<String, Object> nonNull(Map<String, Object> map) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                if (v != null) {
                    copy.put(k, v);
                }
            });
        }
        return copy;
    }
}
