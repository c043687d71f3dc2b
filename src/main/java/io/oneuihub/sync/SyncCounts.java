package io.oneuihub.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How many rows a run created, changed, left alone, marked stale, could not take, or skipped because an admin
 * wrote them after the run read LiteLLM (left to the next sync).
 */
public record SyncCounts(int created, int updated, int unchanged, int stale, int failed, int skipped) {

    public static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0, 0);

    /** Counts of a run that skipped nothing. */
    public SyncCounts(int created, int updated, int unchanged, int stale, int failed) {
        this(created, updated, unchanged, stale, failed, 0);
    }

    /** Events stored or sent (NOTIFY) before "skipped" existed carry no such field: it reads as 0. */
    @JsonCreator
    static SyncCounts json(@JsonProperty("created") int created, @JsonProperty("updated") int updated,
            @JsonProperty("unchanged") int unchanged, @JsonProperty("stale") int stale, @JsonProperty("failed") int failed,
            @JsonProperty("skipped") Integer skipped) {
        return new SyncCounts(created, updated, unchanged, stale, failed, skipped == null ? 0 : skipped);
    }

    public SyncCounts plus(SyncCounts other) {
        return new SyncCounts(created + other.created, updated + other.updated, unchanged + other.unchanged,
                stale + other.stale, failed + other.failed, skipped + other.skipped);
    }
}
