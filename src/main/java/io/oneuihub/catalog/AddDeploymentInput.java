package io.oneuihub.catalog;

public record AddDeploymentInput(
        String modelId,
        String litellmModel,
        String apiBase,
        String apiKey,
        String apiVersion,
        Object params,
        PricingInput pricing,
        LimitsInput limits,
        String externalId) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AddDeploymentInput[modelId=" + modelId + ", litellmModel=" + litellmModel + "]";
    }
}
