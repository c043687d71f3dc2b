package io.oneuihub.graphql;

import java.util.List;
import java.util.UUID;

/** The schema's DeletePayload: the id of what was deleted, or why nothing was. */
public record DeletePayload(UUID deletedId, List<UserError> userErrors) {

    public DeletePayload {
        userErrors = List.copyOf(userErrors);
    }

    public static DeletePayload deleted(UUID id) {
        return new DeletePayload(id, List.of());
    }

    public static DeletePayload refused(List<UserError> errors) {
        return new DeletePayload(null, errors);
    }
}
