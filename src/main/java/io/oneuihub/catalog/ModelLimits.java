package io.oneuihub.catalog;

public record ModelLimits(Integer maxTokens, Integer maxInputTokens, Integer maxOutputTokens, Long rpm, Long tpm) {
}
