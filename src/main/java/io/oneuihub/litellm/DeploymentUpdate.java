package io.oneuihub.litellm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A partial change of a DB deployment: null parts stay as they are, given params are merged into the stored
 * ones. A key mapped to null is sent as an explicit null (PATCH clears prices that way). Masked secret values
 * (as read from {@code /model/info}) are dropped before sending, so a round trip of a read deployment never
 * overwrites a real key with asterisks.
 */
public record DeploymentUpdate(String modelName, Map<String, Object> litellmParams, Map<String, Object> modelInfo) {

    public DeploymentUpdate {
        litellmParams = litellmParams == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(litellmParams));
        modelInfo = modelInfo == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(modelInfo));
    }
}
