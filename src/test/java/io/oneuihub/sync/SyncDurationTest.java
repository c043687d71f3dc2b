package io.oneuihub.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's finishedAt and durationMs are clock time at its end: the apply and its wait for locks included. */
class SyncDurationTest extends SyncTestSupport {

    private static final Duration HELD = Duration.ofMillis(1_500);

    @Test
    void theDurationCoversTheApplyEvenWhenItWaits() throws SQLException {
        sim.seedRealisticCatalog();
        syncModels();
        String id = one("SELECT external_id FROM deployment WHERE provider = 'anthropic' AND editable ORDER BY external_id LIMIT 1");
        String model = one("SELECT m.id::text FROM model m JOIN deployment d ON d.model_id = m.id WHERE d.external_id = '" + id + "'");
        sim.changeDeploymentInfo(id, Map.of("input_cost_per_token", 0.0000011, "output_cost_per_token", 0.0000055));

        OffsetDateTime released;
        String run;
        try (Connection lock = jdbc()) {
            // an admin's transaction holds the model the sync must update: the apply waits for it
            lock.setAutoCommit(false);
            execute(lock, "SELECT 1 FROM model WHERE id = '" + model + "' FOR UPDATE");
            run = startModels(false);
            awaitWaitingForRow("UPDATE model m SET");
            sleep(HELD.toMillis());
            released = OffsetDateTime.now();
            lock.rollback();
        }
        SyncRun finished = await(run);
        assertThat(finished.status()).as("run error: %s", finished.error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(finished.finishedAt()).as("finishedAt is when the run ended, not when its transaction began")
                .isAfterOrEqualTo(released.minusNanos(50_000_000));
        assertThat(finished.durationMs()).isGreaterThanOrEqualTo(HELD.toMillis());
        assertThat(((Number) view(run).get("durationMs")).longValue()).isEqualTo(finished.durationMs());
    }
}
