package io.oneuihub.catalog;

/** createModel's input as the schema defines it; {@code params} is the JSON scalar's value (an object when valid). */
public record CreateModelInput(
        String name,
        String litellmModel,
        String apiBase,
        String apiKey,
        String apiVersion,
        Object params,
        PricingInput pricing,
        LimitsInput limits,
        String mode,
        String companyId,
        String description,
        Boolean enabled,
        Boolean free,
        String externalId) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "CreateModelInput[name=" + name + ", litellmModel=" + litellmModel + "]";
    }
}
