package io.oneuihub.litellm;

import java.util.Map;

/**
 * A partial change of a DB deployment: null parts stay as they are, given params are merged into the stored
 * ones. Masked secret values (as read from {@code /model/info}) are dropped before sending, so a round trip
 * of a read deployment never overwrites a real key with asterisks.
 */
public record DeploymentUpdate(String modelName, Map<String, Object> litellmParams, Map<String, Object> modelInfo) {

    public DeploymentUpdate {
        litellmParams = litellmParams == null ? null : Map.copyOf(litellmParams);
        modelInfo = modelInfo == null ? null : Map.copyOf(modelInfo);
    }
}
