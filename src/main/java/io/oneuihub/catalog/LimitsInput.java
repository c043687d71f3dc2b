package io.oneuihub.catalog;

import org.springframework.graphql.data.ArgumentValue;

public record LimitsInput(
        ArgumentValue<Integer> maxTokens,
        ArgumentValue<Integer> maxInputTokens,
        ArgumentValue<Integer> maxOutputTokens,
        ArgumentValue<Long> rpm,
        ArgumentValue<Long> tpm) {
}
