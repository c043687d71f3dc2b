package io.oneuihub.graphql;

/**
 * One edge of a Relay connection. The cursor is encoded when somebody reads it: most pages select their nodes
 * alone, and encoding every row's cursor was work for nothing.
 */
public record Edge<T>(Cursor key, T node) {

    public String cursor() {
        return key.encode();
    }
}
