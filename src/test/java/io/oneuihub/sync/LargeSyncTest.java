package io.oneuihub.sync;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** 10,000 deployments (5,000 models over 40 providers, 20 pages): correct counts, then a no-op resync. */
class LargeSyncTest extends SyncTestSupport {

    private static final Logger log = LoggerFactory.getLogger(LargeSyncTest.class);

    @Test
    void tenThousandDeploymentsSyncAndResyncWritesNothing() {
        sim.generateLargeCatalog(10_000, 40);
        // an admin request first, so that the timing below is the mutation's, not the first token's key fetch
        admin().documentName("syncRuns").variable("first", 1).execute().errors().verify();
        long started = System.nanoTime();
        String firstId = startModels(false);
        long answeredMs = (System.nanoTime() - started) / 1_000_000;
        SyncRun first = await(firstId);
        assertThat(first.status()).as("run error: %s", first.error()).isEqualTo(SyncStatus.SUCCEEDED);
        long firstMs = (System.nanoTime() - started) / 1_000_000;
        long models = count("SELECT count(*) FROM model");
        long companies = count("SELECT count(*) FROM company");
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(10_000);
        assertThat(models).isEqualTo(5_000);
        assertThat(first.counts()).isEqualTo(new SyncCounts((int) (10_000 + models + companies), 0, 0, 0, 0));
        assertThat(first.rowsWritten()).isEqualTo(10_000 + models + companies + count("SELECT count(*) FROM company_provider"));
        assertThat(first.changeCount()).isEqualTo(first.counts().created());
        assertThat(first.changes()).hasSizeLessThanOrEqualTo(2000);

        Map<String, String> versions = rowVersions();
        started = System.nanoTime();
        SyncRun second = syncModels();
        long secondMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(second.counts()).isEqualTo(new SyncCounts(0, 0, (int) (10_000 + models), 0, 0));
        assertThat(second.rowsWritten()).isZero();
        assertThat(rowVersions()).isEqualTo(versions);
        log.info("10k deployments: first sync {} ms ({} rows written), no-op resync {} ms (0 rows written)",
                firstMs, first.rowsWritten(), secondMs);
        System.out.println("MEASURED 10k sync: mutation answered in " + answeredMs + " ms, first " + firstMs + " ms (run "
                + first.durationMs() + " ms), rows " + first.rowsWritten() + "; resync " + secondMs + " ms, rows "
                + second.rowsWritten());
    }
}
