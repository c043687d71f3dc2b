package io.oneuihub.litellm;

import java.util.Map;
import java.util.Objects;

/**
 * A deployment to create in LiteLLM's database.
 *
 * @param id            becomes {@code model_info.id}; null lets LiteLLM generate a UUID. Supplying one makes
 *                      the create idempotent: a second create answers CONFLICT.
 * @param litellmParams must contain {@code model} ({@code provider/model}); secret values may be
 *                      {@code os.environ/NAME} references
 */
public record NewDeployment(String id, String modelName, Map<String, Object> litellmParams, Map<String, Object> modelInfo) {

    public NewDeployment {
        Objects.requireNonNull(modelName, "modelName");
        litellmParams = litellmParams == null ? Map.of() : Map.copyOf(litellmParams);
        modelInfo = modelInfo == null ? Map.of() : Map.copyOf(modelInfo);
    }
}
