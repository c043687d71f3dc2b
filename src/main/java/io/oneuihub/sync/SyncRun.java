package io.oneuihub.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A sync run as stored in sync_run. {@code changes} is null when the run was read without them (status reads,
 * progress, pages of runs); GraphQL's {@code SyncRun.changes} then loads them ({@link SyncRunController}).
 */
public record SyncRun(
        UUID id,
        SyncKind kind,
        SyncStatus status,
        boolean dryRun,
        String trigger,
        SyncCounts counts,
        int rowsWritten,
        List<SyncChange> changes,
        int changeCount,
        SyncEvent lastEvent,
        SyncError error,
        String instanceId,
        OffsetDateTime startedAt,
        OffsetDateTime heartbeatAt,
        OffsetDateTime finishedAt) {

    public SyncPhase phase() {
        return lastEvent == null ? null : lastEvent.phase();
    }

    public Integer processed() {
        return lastEvent == null ? null : lastEvent.processed();
    }

    public Integer total() {
        return lastEvent == null ? null : lastEvent.total();
    }

    public Long durationMs() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
    }

    /** The event a late subscriber gets first: the stored latest one, or one derived from the row. */
    public SyncEvent latestEvent() {
        SyncPhase derived = switch (status) {
            case RUNNING -> SyncPhase.STARTED;
            case SUCCEEDED -> SyncPhase.COMPLETED;
            case FAILED, ABANDONED -> SyncPhase.FAILED;
        };
        boolean stored = lastEvent != null && (status == SyncStatus.RUNNING || lastEvent.terminal());
        if (stored) {
            return lastEvent;
        }
        int sequence = lastEvent == null ? 0 : lastEvent.sequence() + 1;
        OffsetDateTime at = finishedAt != null ? finishedAt : startedAt;
        return new SyncEvent(id.toString(), kind, derived, null, null, counts,
                status == SyncStatus.ABANDONED ? "The run was abandoned" : null, error, at, sequence);
    }
}
