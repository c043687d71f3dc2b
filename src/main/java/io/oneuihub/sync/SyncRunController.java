package io.oneuihub.sync;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

/**
 * {@code SyncRun}'s fields that are not columns of the row as read: its changes, read only when a query selects
 * them, for all runs of the response in one statement. The runs come from admin-only queries and mutations, so
 * the loader reads the repository directly.
 */
@Controller
class SyncRunController {

    static final String CHANGES_BY_RUN_ID = "syncChangesByRunId";

    SyncRunController(BatchLoaderRegistry registry, SyncRunRepository runs) {
        registry.<UUID, List<SyncChange>>forName(CHANGES_BY_RUN_ID).registerMappedBatchLoader((ids, env) -> runs.changesOf(ids));
    }

    @SchemaMapping(typeName = "SyncRun")
    CompletableFuture<List<SyncChange>> changes(SyncRun run, DataFetchingEnvironment env) {
        if (run.changes() != null) {
            return CompletableFuture.completedFuture(run.changes());
        }
        DataLoader<UUID, List<SyncChange>> byRunId = env.getDataLoader(CHANGES_BY_RUN_ID);
        return byRunId.load(run.id()).thenApply(found -> found == null ? List.of() : found);
    }
}
