package io.oneuihub.sync;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

import io.oneuihub.budget.BudgetAlertStore;
import io.oneuihub.budget.BudgetRow;
import io.oneuihub.budget.BudgetWriter;
import io.oneuihub.db.WriteOrigin;
import io.oneuihub.db.Written;
import io.oneuihub.sync.Plan.Batch;
import io.oneuihub.sync.Plan.Statement;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The budgets sync's reads and writes, through {@link BudgetWriter} (the one the budget mutations use). */
@Component
class BudgetSyncStore {

    static final Statement<BudgetRow> INSERT = new Statement<>("budget.insert", BudgetRow.class);
    static final Statement<BudgetRow> UPDATE = new Statement<>("budget.update", BudgetRow.class);
    static final Statement<UUID> STALE = new Statement<>("budget.stale", UUID.class);
    static final Statement<?>[] ORDER = {INSERT, UPDATE, STALE};

    /** Live budgets with a LiteLLM counterpart, and the keys deleted since the run started. */
    record BudgetState(List<BudgetWriter.Stored> budgets, Set<String> deleted, OffsetDateTime since) {
    }

    private final BudgetWriter budgets;
    private final BudgetAlertStore alerts;

    BudgetSyncStore(BudgetWriter budgets, BudgetAlertStore alerts) {
        this.budgets = budgets;
        this.alerts = alerts;
    }

    Mono<BudgetState> load(OffsetDateTime since) {
        return Mono.zip(budgets.liveWithExternalId().collectList(), budgets.deletedSince(since))
                .map(t -> new BudgetState(t.getT1(), t.getT2(), since));
    }

    /**
     * Purges the tombstones older than the run (see V3), then the plan's writes, guarded as a sync, then the budget
     * alerts over what is stored now (see {@link BudgetAlertStore#evaluate}): all in the caller's transaction, so
     * alerts go out only when the run commits. Answers the rows written.
     */
    Mono<Integer> apply(Plan plan, UUID runId, OffsetDateTime runStartedAt, int batchSize, IntFunction<Mono<Void>> progress) {
        WriteOrigin origin = WriteOrigin.sync(runStartedAt);
        return budgets.purgeTombstones(runStartedAt)
                .then(plan.apply(batchSize, batch -> write(batch, origin), progress))
                .flatMap(rows -> alerts.evaluate(runId, batchSize).thenReturn(rows));
    }

    private Mono<Written> write(Batch batch, WriteOrigin origin) {
        if (batch.is(INSERT)) {
            return budgets.insert(batch.rows(INSERT), origin);
        }
        if (batch.is(UPDATE)) {
            return budgets.update(batch.rows(UPDATE), origin);
        }
        if (batch.is(STALE)) {
            return budgets.markStale(batch.rows(STALE), origin);
        }
        return Mono.error(new IllegalStateException("no writer for " + batch.statement().name()));
    }
}
