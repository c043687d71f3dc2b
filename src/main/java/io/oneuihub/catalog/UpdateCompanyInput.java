package io.oneuihub.catalog;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.graphql.data.ArgumentValue;

/** Every changeable field tells an absent field (left as it is) from an explicit null (cleared). */
public record UpdateCompanyInput(
        String id,
        ArgumentValue<String> slug,
        ArgumentValue<String> name,
        ArgumentValue<String> description,
        ArgumentValue<String> logoUrl,
        ArgumentValue<String> website,
        ArgumentValue<List<String>> providers,
        OffsetDateTime expectedUpdatedAt) {
}
