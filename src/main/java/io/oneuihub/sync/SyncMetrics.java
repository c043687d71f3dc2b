package io.oneuihub.sync;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * {@code hub.sync.runs{kind, status, dryRun}} (a timer: how many runs ended so, and how long they took) and
 * {@code hub.sync.rows{kind, change, dryRun}} (a counter per kind of change a run applied, or would have for a dry
 * run). A run is counted once across all instances, by the instance that wrote its end: SUCCEEDED and FAILED by
 * the instance that ran it, ABANDONED by the one that found it without heartbeats (or that abandoned its own runs
 * on shutdown).
 */
@Component
class SyncMetrics {

    private final MeterRegistry registry;

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void ended(SyncRun run, SyncStatus status, SyncCounts counts, Duration took) {
        String kind = run.kind().name();
        String dryRun = Boolean.toString(run.dryRun());
        Timer.builder("hub.sync.runs")
                .description("Sync runs that ended, by kind and status")
                .tags("kind", kind, "status", status.name(), "dryRun", dryRun)
                .register(registry)
                .record(took.isNegative() ? Duration.ZERO : took);
        if (counts != null) {
            rows(kind, "created", dryRun, counts.created());
            rows(kind, "updated", dryRun, counts.updated());
            rows(kind, "unchanged", dryRun, counts.unchanged());
            rows(kind, "stale", dryRun, counts.stale());
            rows(kind, "failed", dryRun, counts.failed());
            rows(kind, "skipped", dryRun, counts.skipped());
        }
    }

    private void rows(String kind, String change, String dryRun, int amount) {
        Counter.builder("hub.sync.rows")
                .description("Rows sync runs created, updated, left unchanged, marked stale, failed or skipped")
                .tags("kind", kind, "change", change, "dryRun", dryRun)
                .register(registry)
                .increment(amount);
    }
}
