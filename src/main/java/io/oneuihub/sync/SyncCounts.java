package io.oneuihub.sync;

/** How many rows a run created, changed, left alone, marked stale, or could not take. */
public record SyncCounts(int created, int updated, int unchanged, int stale, int failed) {

    public static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0);

    public SyncCounts plus(SyncCounts other) {
        return new SyncCounts(created + other.created, updated + other.updated, unchanged + other.unchanged,
                stale + other.stale, failed + other.failed);
    }
}
