package io.oneuihub.sync;

import graphql.schema.DataFetchingFieldSelectionSet;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.PageArguments;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Controller
class SyncController {

    private final SyncService sync;

    SyncController(SyncService sync) {
        this.sync = sync;
    }

    @MutationMapping
    Mono<SyncPayload> syncModels(@Argument SyncInput input) {
        return sync.sync(SyncKind.MODELS, input);
    }

    @MutationMapping
    Mono<SyncPayload> syncBudgets(@Argument SyncInput input) {
        return sync.sync(SyncKind.BUDGETS, input);
    }

    @QueryMapping
    Mono<SyncRun> syncRun(@Argument String id) {
        return sync.run(id);
    }

    @QueryMapping
    Mono<Connection<SyncRun>> syncRuns(@Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @Argument SyncKind kind, DataFetchingFieldSelectionSet selection) {
        return sync.runs(kind, new PageArguments(first, after, last, before), selection.contains("totalCount"));
    }

    @SubscriptionMapping
    Flux<SyncEvent> syncProgress(@Argument String runId) {
        return sync.progress(runId);
    }

    @SubscriptionMapping
    Flux<SyncEvent> syncEvents(@Argument SyncKind kind) {
        return sync.events(kind);
    }
}
