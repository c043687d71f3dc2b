package io.oneuihub.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import ch.qos.logback.classic.Level;
import io.oneuihub.dev.litellm.Fault;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat and the lease sweeper survive a slow database, and a lease check that waited for the apply
 * transaction does not take a committed run for a lost one. Heartbeats and sweeps come every 50 ms here, so a
 * stall of a few seconds is many more ticks than any operator's queue would hold; the lease stays at its
 * default, so nothing is abandoned for real.
 */
@TestPropertySource(properties = {"hub.sync.heartbeat=50ms", "hub.sync.sweep-interval=50ms"})
// its sweeper keeps running while the context lives: close it after the class
@DirtiesContext
class SyncLeaseTest extends SyncTestSupport {

    /** Ticks queued behind one stalled query: far more than any prefetch holds (Reactor's is 32). */
    private static final Duration STALL = Duration.ofMillis(3_000);

    @Test
    void aHeartbeatStalledOnTheRunsRowLockNeitherFailsNorStopsTheRun() throws SQLException {
        sim.seedRealisticCatalog();
        sim.inject(Fault.latency(Duration.ofMillis(500)), "/v2/model/info");
        try (Logs logs = new Logs(SyncEngine.class)) {
            String id = startModels(false);
            try (Connection lock = jdbc()) {
                lock.setAutoCommit(false);
                execute(lock, "SELECT 1 FROM sync_run WHERE id = '" + id + "' FOR UPDATE");
                awaitWaitingForRow("UPDATE sync_run SET heartbeat_at");
                sleep(STALL.toMillis());
                lock.rollback();
            }
            SyncRun run = await(id);
            assertThat(run.status()).as("run error: %s", run.error()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(view(id).get("status")).isEqualTo("SUCCEEDED");
            assertThat(logs.at(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void theSweeperOutlivesASweepStalledOnARowLock() throws SQLException {
        // stale one second from now: the sweeper then waits for the lock the test takes at once
        String first = staleRun("interval '59 seconds'");
        try (Connection lock = jdbc()) {
            lock.setAutoCommit(false);
            execute(lock, "SELECT 1 FROM sync_run WHERE id = '" + first + "' FOR UPDATE");
            awaitWaitingForRow("UPDATE sync_run SET status = 'ABANDONED'");
            sleep(STALL.toMillis());
            lock.rollback();
        }
        assertThat(await(first).status()).isEqualTo(SyncStatus.ABANDONED);
        // still sweeping
        String second = staleRun("interval '1 hour'");
        SyncRun swept = await(second);
        assertThat(swept.status()).isEqualTo(SyncStatus.ABANDONED);
        assertThat(swept.latestEvent().phase()).isEqualTo(SyncPhase.FAILED);
    }

    /**
     * The heartbeat comes while the apply transaction holds the run's row: it waits for the commit and then
     * finds the run SUCCEEDED. That is the run's own end: it stays, its COMPLETED event goes out, and nothing
     * says the writes were rolled back. Whether the heartbeat's answer or the commit's reaches the engine first
     * is up to the machine, so the scene is played twice.
     */
    @Test
    void aLeaseCheckThatWaitedForTheCommitKeepsTheRunAndItsCompletedEvent() {
        sim.seedRealisticCatalog();
        String marker = finishedRunJustNow("MODELS");
        try (Logs logs = new Logs(SyncEngine.class); Recording events = new Recording(events("MODELS"))) {
            events.await(marker, e -> true, DEADLINE, "the marker run");
            for (int round = 1; round <= 2; round++) {
                try (CommitGate gate = new CommitGate()) {
                    String id = startModels(false);
                    gate.awaitHeld();
                    awaitWaitingForRow("UPDATE sync_run SET heartbeat_at");
                    gate.open();
                    // syncEvents has no re-read of its own: only the published event gets there
                    events.awaitPhase(id, "COMPLETED", Duration.ofSeconds(20));
                    SyncRun run = await(id);
                    assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
                }
            }
            assertThat(count("SELECT count(*) FROM model")).isPositive();
            assertThat(logs.all()).noneMatch(m -> m.contains("rolled back") || m.contains("abandoned"));
        }
    }

    private String staleRun(String heartbeatAge) {
        return one("INSERT INTO sync_run (kind, status, trigger, instance_id, started_at, heartbeat_at) VALUES"
                + " ('BUDGETS', 'RUNNING', 'gone', 'gone-instance', now() - interval '2 hours', now() - " + heartbeatAge
                + ") RETURNING id::text");
    }
}
