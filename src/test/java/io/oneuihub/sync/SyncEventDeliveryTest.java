package io.oneuihub.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import io.oneuihub.db.NotificationListener;
import io.oneuihub.dev.litellm.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No subscriber waits forever for a run that has ended: not when the LISTEN connection dies or hangs as the
 * run ends, not when the end is never NOTIFYed, not for an id in another case, not for a subscriber that joins
 * just after a fast run.
 */
class SyncEventDeliveryTest extends SyncTestSupport {

    private static final Duration SOON = Duration.ofSeconds(20);

    @AfterEach
    void noInjectedFaultsLeft() {
        db.sql("DROP TRIGGER IF EXISTS test_publish_fault ON sync_run").then().block();
        db.sql("DROP FUNCTION IF EXISTS test_publish_fault()").then().block();
    }

    /**
     * The listener's backend stops answering while the run ends (its COMPLETED or FAILED NOTIFY is sent to
     * nobody), then is terminated. syncProgress ends through its re-read of the run; syncEvents, which does
     * not re-read, gets the end because the bus re-delivers stored events after it LISTENs again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"COMPLETED", "FAILED"})
    void theEndReachesSubscribersThoughTheListenerDiedAsTheRunEnded(String end) {
        sim.generateLargeCatalog(600, 3);
        if (end.equals("FAILED")) {
            sim.failAfter(1, Fault.serverErrorJson(), "/v2/model/info"); // page 2 fails
        }
        try (Logs logs = new Logs(NotificationListener.class); CommitGate gate = new CommitGate()) {
            String id = startModels(false);
            try (Recording progress = new Recording(progress(id)); Recording events = new Recording(events("MODELS"))) {
                progress.await(id, e -> true, SOON, "the progress subscription's first event");
                events.await(id, e -> true, SOON, "the events subscription's first event");
                gate.awaitHeld();
                int listener = listenerPid();
                freeze(listener);
                try {
                    gate.open();
                    // through the re-read: the listener cannot deliver anything now
                    progress.awaitPhase(id, end, SOON);
                    assertThat(one("SELECT pg_terminate_backend(" + listener + ")")).isEqualTo("true");
                } finally {
                    thaw(listener);
                }
                awaitListenerOtherThan(listener, SOON);
                events.awaitPhase(id, end, SOON);

                assertThat(await(id).status()).isEqualTo(end.equals("COMPLETED") ? SyncStatus.SUCCEEDED : SyncStatus.FAILED);
                assertOrderedOnce(progress.of(id));
                assertOrderedOnce(events.of(id));
                assertThat(progress.of(id).get(progress.of(id).size() - 1).get("phase")).isEqualTo(end);
                assertThat(logs.at(Level.WARN)).anyMatch(m -> m.startsWith("The LISTEN connection was lost"));
            }
        }
    }

    /** A backend that hangs (the TCP connection stays up, nothing answers) is noticed by the health check. */
    @Test
    void aHungListenerIsReplacedAndSaysSo() {
        try (Logs logs = new Logs(NotificationListener.class)) {
            int listener = listenerPid();
            freeze(listener);
            try {
                awaitListenerOtherThan(listener, SOON);
            } finally {
                thaw(listener);
                db.sql("SELECT pg_terminate_backend(" + listener + ")").then().block();
            }
            assertThat(logs.at(Level.WARN)).anyMatch(m -> m.contains("did not answer SELECT 1"));
        }
        // and the new connection delivers
        sim.seedRealisticCatalog();
        String marker = finishedRunJustNow("MODELS");
        try (Recording events = new Recording(events("MODELS"))) {
            events.await(marker, e -> true, SOON, "the marker run");
            String id = startModels(false);
            events.awaitPhase(id, "COMPLETED", SOON);
        }
    }

    /** The id in upper case is the same run: the live events come, not only the stored state and the end. */
    @Test
    void anUpperCaseRunIdGetsTheLiveEvents() {
        sim.generateLargeCatalog(1_500, 5); // 3 pages
        sim.inject(Fault.latency(Duration.ofMillis(600)), "/v2/model/info");
        String id = startModels(false);
        List<Map<String, Object>> events = progress(id.toUpperCase()).collectList().block(DEADLINE);
        assertThat(events).extracting(e -> e.get("runId")).containsOnly(id);
        // pages 2 and 3 come 600 ms apart, and the end right after: only live events carry them all
        assertThat(events).filteredOn(e -> "FETCHING".equals(e.get("phase"))).extracting(e -> e.get("processed"))
                .containsSubsequence(1000, 1500);
        assertThat(events.get(events.size() - 1).get("phase")).isEqualTo("COMPLETED");
        assertOrderedOnce(events);
    }

    @Test
    void aSyncEventsSubscriberThatJoinsJustAfterAFastRunEndedGetsItsEnd() {
        String old = one("INSERT INTO sync_run (kind, status, trigger, started_at, finished_at)"
                + " VALUES ('MODELS', 'SUCCEEDED', 'old', now() - interval '2 hours', now() - interval '1 hour') RETURNING id::text");
        sim.seedRealisticCatalog();
        SyncRun run = syncModels();
        try (Recording events = new Recording(events("MODELS"))) {
            Map<String, Object> end = events.awaitPhase(run.id().toString(), "COMPLETED", SOON);
            assertThat(end.get("sequence")).isEqualTo(run.lastEvent().sequence());
            SyncCounts counts = run.counts();
            assertThat(end.get("counts")).isEqualTo(Map.of("created", counts.created(), "updated", counts.updated(),
                    "unchanged", counts.unchanged(), "stale", counts.stale(), "failed", counts.failed()));
            // runs that ended before the replay window are history, not news
            assertThat(events.of(old)).isEmpty();
        }
    }

    /**
     * Every attempt to publish the end fails (a real PostgreSQL error, injected by a trigger): the failure is
     * logged as an error, and syncProgress still ends, through its re-read of the run.
     */
    @Test
    void syncProgressEndsThroughItsPollWhenTheEndIsNeverNotified() {
        sim.seedRealisticCatalog();
        failTerminalPublishes(1_000);
        try (Logs logs = new Logs(SyncEventBus.class); CommitGate gate = new CommitGate()) {
            String id = startModels(false);
            try (Recording progress = new Recording(progress(id))) {
                progress.await(id, e -> true, SOON, "the progress subscription's first event");
                gate.awaitHeld();
                gate.open();
                progress.awaitPhase(id, "COMPLETED", SOON);
                awaitCompleted(progress);
                awaitLogged(logs, Level.ERROR, "Could not publish the COMPLETED event of sync run " + id);
                assertThat(publishAttempts()).as("the first attempt and five retries, all failed").isEqualTo(6);
                assertOrderedOnce(progress.of(id));
            }
        }
    }

    /** Two failed attempts to publish the end, then one that works: a syncEvents subscriber (no re-read) gets it. */
    @Test
    void theEndIsPublishedAgainAfterATransientFailure() {
        sim.seedRealisticCatalog();
        failTerminalPublishes(2);
        String marker = finishedRunJustNow("MODELS");
        try (Logs logs = new Logs(SyncEventBus.class); Recording events = new Recording(events("MODELS"))) {
            events.await(marker, e -> true, SOON, "the marker run");
            String id = startModels(false);
            events.awaitPhase(id, "COMPLETED", SOON);
            assertThat(publishAttempts()).isEqualTo(3);
            assertThat(logs.at(Level.WARN)).filteredOn(m -> m.startsWith("Publishing the COMPLETED event of sync run " + id))
                    .hasSize(2);
            assertThat(logs.at(Level.ERROR)).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The first {@code times} attempts to publish a run's end fail with serialization_failure (40001): the
     * trigger sees a publishing statement (it NOTIFYs) while a run of the test has ended.
     */
    private void failTerminalPublishes(int times) {
        db.sql("DROP SEQUENCE IF EXISTS test_publish_faults").then().block();
        db.sql("CREATE SEQUENCE test_publish_faults").then().block();
        db.sql("""
                CREATE OR REPLACE FUNCTION test_publish_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF current_query() LIKE '%%pg_notify%%'
                     AND EXISTS (SELECT 1 FROM sync_run WHERE status <> 'RUNNING' AND trigger <> 'marker') THEN
                    IF nextval('test_publish_faults') <= %d THEN
                      RAISE EXCEPTION 'injected: could not serialize access' USING ERRCODE = '40001';
                    END IF;
                  END IF;
                  RETURN NULL;
                END $$""".formatted(times)).then().block();
        db.sql("CREATE TRIGGER test_publish_fault BEFORE UPDATE ON sync_run FOR EACH STATEMENT EXECUTE FUNCTION test_publish_fault()")
                .then().block();
    }

    private long publishAttempts() {
        return count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_publish_faults");
    }

    private static void awaitLogged(Logs logs, Level level, String prefix) {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (logs.at(level).stream().noneMatch(m -> m.startsWith(prefix))) {
            assertThat(System.nanoTime()).as("a %s log line %s...; logged: %s", level, prefix, logs.all()).isLessThan(deadline);
            sleep(20);
        }
    }

    private static void awaitCompleted(Recording recording) {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!recording.completed()) {
            assertThat(System.nanoTime()).as("the subscription completes after the end").isLessThan(deadline);
            sleep(20);
        }
    }

    /** Each event once, in the order of the run. */
    private static void assertOrderedOnce(List<Map<String, Object>> events) {
        List<Integer> sequences = events.stream().map(e -> (Integer) e.get("sequence")).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
    }
}
