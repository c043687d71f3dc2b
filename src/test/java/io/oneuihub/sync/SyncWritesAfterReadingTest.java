package io.oneuihub.sync;

import io.oneuihub.dev.litellm.Hold;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** HUB_SYNC_WRITE_WHILE_READING=false: a models sync opens no transaction before it has read the whole listing. */
@TestPropertySource(properties = "hub.sync.write-while-reading=false")
class SyncWritesAfterReadingTest extends SyncTestSupport {

    @Test
    void noTransactionIsOpenWhileTheListingIsReadAndTheSyncStillWritesEverything() {
        sim.generateLargeCatalog(3_000, 10); // 6 pages of 500
        Hold hold = sim.holdAfter(3, "/v2/model/info"); // page 4 waits
        String run = startModels(false);
        hold.awaitHeld(DEADLINE);
        // page 3 is read and reported: with early writes, pages 1 and 2 would have been written by now
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (count("SELECT count(*) FROM sync_run WHERE last_event ->> 'message' = 'Read page 3 of 6'") == 0) {
            assertThat(System.nanoTime()).as("page 3 reported").isLessThan(deadline);
            sleep(10);
        }
        assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")).isZero();

        hold.release();
        SyncRun done = await(run);
        assertThat(done.status()).as("run error: %s", done.error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(3_000);
        assertThat(done.counts().created()).isEqualTo(3_000 + 1_500 + (int) count("SELECT count(*) FROM company"));
    }
}
