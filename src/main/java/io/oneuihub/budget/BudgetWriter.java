package io.oneuihub.budget;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.oneuihub.db.Recordset;
import io.oneuihub.db.Rows;
import io.oneuihub.db.WriteOrigin;
import io.oneuihub.db.Written;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place budget rows are written, by the budgets sync (a batch per statement) and by the budget
 * mutations (a list of one): LiteLLM-owned columns only. The {@link WriteOrigin} decides how a write treats
 * the other kind of writer (see there); tombstoned rows are never written and never read here.
 */
@Component
public class BudgetWriter {

    /** Record components = recordset columns; checked when this class loads. */
    static final Recordset<BudgetRow> ROWS = Recordset.of(BudgetRow.class, """
            id uuid, scope text, "externalId" text, name text, "maxBudget" numeric, "softBudget" numeric, spend numeric,
            duration text, "resetAt" timestamptz, "tpmLimit" bigint, "rpmLimit" bigint, "maxParallelRequests" integer,
            "modelBudgets" jsonb, status text, "sharedBudgetExternalId" text""");

    /** A stored, live budget. */
    public record Stored(BudgetRow row, OffsetDateTime localWriteAt, OffsetDateTime updatedAt) {

        public boolean writtenLocallySince(OffsetDateTime since) {
            return localWriteAt != null && !localWriteAt.isBefore(since);
        }
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    public BudgetWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    // ------------------------------------------------------------------ writes

    /** Inserts budgets; a row whose id or (scope, externalId) exists already (live or tombstoned) is left out. */
    public Mono<Written> insert(List<BudgetRow> rows, WriteOrigin origin) {
        return origin.writeRows(db, json, ROWS, rows, """
                INSERT INTO budget (id, scope, external_id, name, max_budget, soft_budget, spend, duration, reset_at,
                  tpm_limit, rpm_limit, max_parallel_requests, model_budgets, status, shared_budget_external_id, last_synced_at,
                  local_write_at)
                SELECT r.id, r.scope, r."externalId", r.name, r."maxBudget", r."softBudget", coalesce(r.spend, 0), r.duration,
                  r."resetAt", r."tpmLimit", r."rpmLimit", r."maxParallelRequests", coalesce(r."modelBudgets", '[]'),
                  r.status, r."sharedBudgetExternalId", now(), %s
                FROM %s
                ON CONFLICT DO NOTHING
                RETURNING id""".formatted(origin.insertedLocalWrite(), ROWS.fromItem()));
    }

    /** Sets the LiteLLM-owned columns and status of live rows by id (scope and externalId are the key). */
    public Mono<Written> update(List<BudgetRow> rows, WriteOrigin origin) {
        return origin.writeRows(db, json, ROWS, rows, """
                UPDATE budget b SET name = r.name, max_budget = r."maxBudget", soft_budget = r."softBudget",
                  spend = coalesce(r.spend, 0), duration = r.duration, reset_at = r."resetAt", tpm_limit = r."tpmLimit",
                  rpm_limit = r."rpmLimit", max_parallel_requests = r."maxParallelRequests",
                  model_budgets = coalesce(r."modelBudgets", '[]'), status = r.status,
                  shared_budget_external_id = r."sharedBudgetExternalId", updated_at = now(), last_synced_at = now()%s
                FROM %s
                WHERE b.id = r.id AND b.deleted_at IS NULL%s
                RETURNING b.id""".formatted(origin.stamp(), ROWS.fromItem(), origin.guard("b")));
    }

    public Mono<Written> markStale(Collection<UUID> ids, WriteOrigin origin) {
        return origin.writeIds(db, ids, """
                UPDATE budget b SET status = 'STALE', updated_at = now(), last_synced_at = now()%s
                WHERE b.id = ANY(:ids) AND b.status <> 'STALE' AND b.deleted_at IS NULL%s
                RETURNING b.id""".formatted(origin.stamp(), origin.guard("b")));
    }

    /** A mutation's delete: tombstones the rows (deleted_at = local_write_at = now()). */
    public Mono<Written> markDeleted(Collection<UUID> ids) {
        return WriteOrigin.mutation().writeIds(db, ids, """
                UPDATE budget SET deleted_at = now(), local_write_at = now(), updated_at = now()
                WHERE id = ANY(:ids) AND deleted_at IS NULL RETURNING id""");
    }

    /** Removes the tombstone of (scope, externalId) so a mutation can create that budget again (see ModelWriter). */
    public Mono<Integer> dropTombstone(BudgetScope scope, String externalId) {
        return db.sql("DELETE FROM budget WHERE scope = :scope AND external_id = :externalId AND deleted_at IS NOT NULL")
                .bind("scope", scope.name()).bind("externalId", externalId).fetch().rowsUpdated().map(Long::intValue);
    }

    public Mono<Integer> purgeTombstones(OffsetDateTime deletedBefore) {
        return db.sql("DELETE FROM budget WHERE deleted_at < :before")
                .bind("before", deletedBefore).fetch().rowsUpdated().map(Long::intValue);
    }

    // ------------------------------------------------------------------ reads

    /** Live budgets with a LiteLLM counterpart (external_id set): the sync's view; hub-only rows are not its business. */
    public Flux<Stored> liveWithExternalId() {
        return db.sql("SELECT * FROM budget WHERE external_id IS NOT NULL AND deleted_at IS NULL ORDER BY scope, external_id")
                .map(this::stored).all();
    }

    public Mono<Stored> find(UUID id) {
        return db.sql("SELECT * FROM budget WHERE id = :id AND deleted_at IS NULL").bind("id", id).map(this::stored).one();
    }

    public Mono<Stored> find(BudgetScope scope, String externalId) {
        return db.sql("SELECT * FROM budget WHERE scope = :scope AND external_id = :externalId AND deleted_at IS NULL")
                .bind("scope", scope.name()).bind("externalId", externalId).map(this::stored).one();
    }

    /** The live CUSTOMER budgets on this SHARED budget (by its LiteLLM budget_id). */
    public Flux<Stored> linkedTo(String sharedBudgetExternalId) {
        return db.sql("SELECT * FROM budget WHERE scope = 'CUSTOMER' AND shared_budget_external_id = :shared AND deleted_at IS NULL"
                        + " ORDER BY external_id")
                .bind("shared", sharedBudgetExternalId).map(this::stored).all();
    }

    /** Reads and locks a live budget until the transaction ends. */
    public Mono<Stored> lock(UUID id) {
        return db.sql("SELECT * FROM budget WHERE id = :id AND deleted_at IS NULL FOR UPDATE")
                .bind("id", id).map(this::stored).one();
    }

    /** Keys (scope:externalId) of the budgets tombstoned at or after {@code since}. */
    public Mono<Set<String>> deletedSince(OffsetDateTime since) {
        return db.sql("SELECT scope, external_id FROM budget WHERE deleted_at >= :since AND external_id IS NOT NULL")
                .bind("since", since)
                .map(row -> BudgetRow.key(BudgetScope.valueOf(Rows.text(row, "scope")), Rows.text(row, "external_id")))
                .all()
                .collect(HashSet::new, Set::add);
    }

    // ------------------------------------------------------------------ plumbing

    private Stored stored(Readable row) {
        Budget budget = BudgetRepository.map(row, json);
        return new Stored(BudgetRow.of(budget), Rows.time(row, "local_write_at"), budget.updatedAt());
    }
}
