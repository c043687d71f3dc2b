package io.oneuihub.catalog;

import java.time.OffsetDateTime;

import org.springframework.graphql.data.ArgumentValue;

/** Every changeable field tells an absent field (left as it is) from an explicit null. */
public record UpdateDeploymentInput(
        String id,
        ArgumentValue<String> litellmModel,
        ArgumentValue<String> apiBase,
        ArgumentValue<String> apiKey,
        ArgumentValue<String> apiVersion,
        ArgumentValue<Object> params,
        ArgumentValue<PricingInput> pricing,
        ArgumentValue<LimitsInput> limits,
        OffsetDateTime expectedUpdatedAt) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "UpdateDeploymentInput[id=" + id + "]";
    }
}
