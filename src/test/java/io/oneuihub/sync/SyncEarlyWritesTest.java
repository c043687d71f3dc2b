package io.oneuihub.sync;

import java.util.List;
import java.util.Map;

import io.oneuihub.dev.litellm.Fault;
import io.oneuihub.dev.litellm.Hold;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A models sync writes a listing's new models while it still reads the later pages, inside its one apply
 * transaction: nobody sees them before the commit, a failure on a later page leaves nothing, and a listing whose
 * models are not contiguous (a proxy that ignores the sort by name) is planned once it is complete.
 */
class SyncEarlyWritesTest extends SyncTestSupport {

    private static final String MODEL_PAGES = "/v2/model/info";

    /** The sync's connection, idle inside its transaction, after an insert of deployments. */
    private static final String EARLY_DEPLOYMENT_INSERT = """
            SELECT count(*) FROM pg_stat_activity
            WHERE state = 'idle in transaction' AND query LIKE 'INSERT INTO deployment%'""";

    @Test
    void newModelsAreWrittenWhileLaterPagesAreReadAndNobodySeesThemBeforeTheCommit() {
        sim.generateLargeCatalog(3_000, 10); // 6 pages of 500
        Hold hold = sim.holdAfter(3, MODEL_PAGES); // page 4 waits
        String run = startModels(false);
        hold.awaitHeld(DEADLINE);
        awaitEarlyDeploymentInsert();

        assertThat(count("SELECT count(*) FROM deployment")).as("uncommitted: invisible to other connections").isZero();
        anonymous().document("{ models { totalCount } }").execute().path("models.totalCount").entity(Long.class).isEqualTo(0L);

        hold.release();
        SyncRun done = await(run);
        assertThat(done.status()).as("run error: %s", done.error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM model")).isEqualTo(1_500);
        assertThat(done.counts().created()).isEqualTo(3_000 + 1_500 + (int) count("SELECT count(*) FROM company"));
    }

    @Test
    void aPageFailingAfterTheEarlyWritesLeavesNothingAndTheNextSyncCreatesEverything() {
        sim.generateLargeCatalog(3_000, 10);
        Hold hold = sim.holdAfter(3, MODEL_PAGES);
        sim.failAfter(4, Fault.serverErrorJson(), MODEL_PAGES); // page 5 and the retry of it fail
        String run = startModels(false);
        hold.awaitHeld(DEADLINE);
        awaitEarlyDeploymentInsert();
        hold.release();

        SyncRun failed = await(run);
        assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("UNAVAILABLE");
        for (String table : List.of("deployment", "model", "company", "company_provider")) {
            assertThat(count("SELECT count(*) FROM " + table)).as(table).isZero();
        }
        assertThat(count(EARLY_DEPLOYMENT_INSERT)).as("the transaction is gone").isZero();

        sim.clearFaults();
        SyncRun next = syncModels();
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(3_000);
        assertThat(next.counts().created()).isEqualTo(3_000 + 1_500 + (int) count("SELECT count(*) FROM company"));
    }

    @Test
    void aModelWhoseDeploymentsComeBackOnALaterPageIsPlannedWithAllOfThem() {
        sim.generateLargeCatalog(600, 5); // pages 1 and 2; model-00299 is the last model, on page 2
        // listed first (page 1), far from its other two deployments: the listing is not sorted by name
        String early = sim.addDbDeployment("model-00299", Map.of("model", "provider-00/model-early"),
                Map.of("max_input_tokens", 999_999));
        SyncRun first = syncModels();

        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(601);
        assertThat(count("SELECT count(*) FROM model")).isEqualTo(300);
        assertThat(count("SELECT count(*) FROM deployment d JOIN model m ON m.id = d.model_id WHERE m.name = 'model-00299'"))
                .isEqualTo(3);
        assertThat(count("SELECT max_input_tokens FROM model WHERE name = 'model-00299'"))
                .as("derived from all three deployments").isEqualTo(999_999);
        assertThat(first.counts().created()).isEqualTo(601 + 300 + (int) count("SELECT count(*) FROM company"));
        assertThat(first.counts().skipped()).isZero();
        assertThat(count("SELECT count(*) FROM deployment WHERE external_id = '" + early + "'")).isEqualTo(1);

        SyncRun again = syncModels();
        assertThat(again.rowsWritten()).as("the first run's rows are what LiteLLM lists: %s", again.changes()).isZero();
        assertThat(again.counts().unchanged()).isEqualTo(601 + 300);
    }

    private void awaitEarlyDeploymentInsert() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (count(EARLY_DEPLOYMENT_INSERT) == 0) {
            assertThat(System.nanoTime()).as("no deployments inserted while page 4 is held").isLessThan(deadline);
            sleep(10);
        }
    }
}
