package io.oneuihub.sync;

import java.util.List;

public record SyncPayload(SyncRun run, List<UserError> userErrors) {

    /** The schema's UserError; code is a UserErrorCode name. */
    public record UserError(List<String> field, String message, String code) {
    }
}
