package io.oneuihub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * A run's changes (up to hub.sync.max-changes entries, hundreds of kilobytes for a large sync) are read only
 * when a query selects them, for all runs of a response at once; status reads and progress never parse them.
 */
class SyncRunChangesTest extends SyncTestSupport {

    private static final String RUNS_WITH_CHANGES = """
            query { syncRuns(first: 5, kind: MODELS) { nodes { id changeCount changes { entity key action } } } }""";
    private static final String RUN_WITH_CHANGES = """
            query($id: ID!) { syncRun(id: $id) { id changeCount changes { entity key action } } }""";

    @Test
    void changesAreReadWhenSelectedAndOnlyThen() {
        sim.generateLargeCatalog(20, 2);
        String first = await(startModels(false)).id().toString();
        sim.generateLargeCatalog(30, 3); // a different upstream: the second run changes the catalog again
        String second = await(startModels(false)).id().toString();

        List<Map<String, Object>> page = admin().document(RUNS_WITH_CHANGES).execute()
                .path("syncRuns.nodes").entityList(MAP).get();
        assertThat(page).extracting(run -> run.get("id")).containsExactly(second, first);
        for (Map<String, Object> run : page) {
            List<?> changes = (List<?>) run.get("changes");
            assertThat(changes).as("run %s", run.get("id")).isNotEmpty().hasSizeLessThanOrEqualTo(((Number) run.get("changeCount")).intValue());
            // the page's loader answers each run exactly what a query of that run alone answers
            assertThat(changes).isEqualTo(admin().document(RUN_WITH_CHANGES).variable("id", run.get("id")).execute()
                    .path("syncRun.changes").entityList(Object.class).get());
        }

        // the reads status and progress go through leave the changes unread; the whole row still has them
        UUID id = UUID.fromString(second);
        assertThat(runs.findSummary(id).block(DEADLINE).changes()).isNull();
        assertThat(runs.findById(id).block(DEADLINE).changes()).isNotEmpty();
        assertThat(admin().document("query($id: ID!) { syncRun(id: $id) { status changeCount } }").variable("id", second)
                .execute().path("syncRun.status").entity(String.class).get()).isEqualTo("SUCCEEDED");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<Map<String, Object>> MAP = (Class) Map.class;
}
