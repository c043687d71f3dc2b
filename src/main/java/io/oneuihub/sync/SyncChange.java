package io.oneuihub.sync;

import java.util.List;

/** One planned or applied change of one row. */
public record SyncChange(Entity entity, String key, Action action, List<FieldChange> fields, String message) {

    public enum Entity {
        COMPANY,
        MODEL,
        DEPLOYMENT,
        BUDGET
    }

    public enum Action {
        CREATE,
        UPDATE,
        STALE,
        FAILED,
        /** An admin wrote or deleted the row after the run read LiteLLM: left to the next sync. */
        SKIPPED
    }

    public record FieldChange(String field, Object before, Object after) {
    }
}
