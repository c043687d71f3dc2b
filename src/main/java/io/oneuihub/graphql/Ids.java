package io.oneuihub.graphql;

import java.util.UUID;

public final class Ids {

    private Ids() {
    }

    public static UUID parse(String argument, String id) {
        if (id == null) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(argument, "'" + argument + "' is not a valid id.");
        }
    }

    /** For lookups such as model(id, name): exactly one of the two must be given. */
    public static void requireExactlyOne(String first, Object a, String second, Object b) {
        if ((a == null) == (b == null)) {
            throw new InvalidInputException(first, "Pass exactly one of '" + first + "' or '" + second + "'.");
        }
    }
}
