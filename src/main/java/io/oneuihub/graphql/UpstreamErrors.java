package io.oneuihub.graphql;

import graphql.ErrorClassification;
import io.oneuihub.litellm.LiteLlmException;
import org.springframework.graphql.execution.ErrorType;

/** How a LiteLLM failure is named to GraphQL callers, in top-level errors and in userErrors alike. */
public final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /** The userErrors code (DESIGN's UserErrorCode) for a LiteLLM failure. */
    public static String code(LiteLlmException e) {
        return switch (e.category()) {
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case READ_ONLY_CONFIG_MODEL -> "READ_ONLY_UPSTREAM";
            case REJECTED -> "UPSTREAM_REJECTED";
            case UNAVAILABLE, TIMEOUT, UNAUTHORIZED, PROTOCOL -> "UPSTREAM_UNAVAILABLE";
        };
    }

    /** Top-level error classification: NOT_FOUND stays standard, upstream trouble gets its own name. */
    static ErrorClassification classification(LiteLlmException e) {
        String code = code(e);
        return code.equals("NOT_FOUND") ? ErrorType.NOT_FOUND : ErrorClassification.errorClassification(code);
    }
}
