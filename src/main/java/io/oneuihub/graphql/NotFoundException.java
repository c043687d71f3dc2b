package io.oneuihub.graphql;

/** The caller named something the hub does not have: a top-level NOT_FOUND error naming the argument. */
public class NotFoundException extends RuntimeException {

    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
