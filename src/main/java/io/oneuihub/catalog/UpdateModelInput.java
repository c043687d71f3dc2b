package io.oneuihub.catalog;

import java.time.OffsetDateTime;

import org.springframework.graphql.data.ArgumentValue;

/** Every changeable field tells an absent field (left as it is) from an explicit null. */
public record UpdateModelInput(
        String id,
        ArgumentValue<String> description,
        ArgumentValue<Boolean> enabled,
        ArgumentValue<Boolean> free,
        ArgumentValue<String> companyId,
        ArgumentValue<String> mode,
        ArgumentValue<PricingInput> pricing,
        ArgumentValue<LimitsInput> limits,
        OffsetDateTime expectedUpdatedAt) {
}
