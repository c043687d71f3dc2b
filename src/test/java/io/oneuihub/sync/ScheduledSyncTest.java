package io.oneuihub.sync;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** HUB_SYNC_INTERVAL in its short form runs both syncs on its own, marked as the schedule's. */
@TestPropertySource(properties = "hub.sync.interval=1s")
// The schedule keeps firing while a context lives; close it so it never touches the shared simulator later.
@DirtiesContext
class ScheduledSyncTest extends SyncTestSupport {

    @Test
    void theScheduleRunsBothSyncs() {
        sim.seedRealisticCatalog();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<String> kinds = List.of();
        while (kinds.size() < 2) {
            assertThat(System.nanoTime()).as("scheduled runs of both kinds").isLessThan(deadline);
            sleep(100);
            kinds = db.sql("SELECT DISTINCT kind FROM sync_run WHERE trigger = 'schedule' AND status = 'SUCCEEDED' ORDER BY kind")
                    .map(row -> row.get("kind", String.class)).all().collectList().block();
        }
        assertThat(kinds).containsExactly("BUDGETS", "MODELS");
        assertThat(count("SELECT count(*) FROM model")).isPositive();
        assertThat(SyncProperties.withInterval("PT15M").scheduleInterval())
                .isEqualTo(SyncProperties.withInterval("15m").scheduleInterval());
        assertThat(SyncProperties.withInterval("").scheduleInterval()).isNull();
    }
}
