package io.oneuihub.sync;

import java.util.List;

import io.oneuihub.graphql.UserError;

public record SyncPayload(SyncRun run, List<UserError> userErrors) {
}
