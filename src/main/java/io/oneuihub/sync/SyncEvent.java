package io.oneuihub.sync;

import java.time.OffsetDateTime;

/** One progress event of a run; {@code sequence} grows by one per event of the run. */
public record SyncEvent(String runId, SyncKind kind, SyncPhase phase, Integer processed, Integer total,
        SyncCounts counts, String message, SyncError error, OffsetDateTime at, int sequence) {

    public boolean terminal() {
        return phase.terminal();
    }
}
