package io.oneuihub.graphql;

import java.util.List;

/**
 * The schema's UserError: an expected failure returned in a payload next to the object.
 *
 * @param field the input path at fault, e.g. ["input", "slug"]; null when no single input is at fault
 * @param code  a UserErrorCode name
 */
public record UserError(List<String> field, String message, String code) {

    public static final String INVALID_INPUT = "INVALID_INPUT";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String CONFLICT = "CONFLICT";
    /** LiteLLM accepted a write, the hub could not store it: the next sync stores what LiteLLM holds. */
    public static final String LOCAL_WRITE_FAILED = "LOCAL_WRITE_FAILED";

    public UserError {
        field = field == null ? null : List.copyOf(field);
    }

    public static UserError invalid(String message, String... field) {
        return new UserError(List.of(field), message, INVALID_INPUT);
    }

    public static UserError notFound(String message, String... field) {
        return new UserError(List.of(field), message, NOT_FOUND);
    }

    public static UserError conflict(String message, String... field) {
        return new UserError(List.of(field), message, CONFLICT);
    }
}
