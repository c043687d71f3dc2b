package io.oneuihub.graphql;

import java.util.List;

/**
 * The caller sent arguments we cannot act on (bad cursor, page size out of range, malformed id).
 * Reported as a top-level BAD_REQUEST error naming the argument.
 */
public class InvalidInputException extends RuntimeException {

    private final List<String> field;

    public InvalidInputException(List<String> field, String message) {
        super(message);
        this.field = List.copyOf(field);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(field.split("\\.")), message);
    }

    public List<String> field() {
        return field;
    }
}
