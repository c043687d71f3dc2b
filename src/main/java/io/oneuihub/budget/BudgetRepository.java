package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.oneuihub.catalog.RecordStatus;
import io.oneuihub.db.Binds;
import io.oneuihub.db.Rows;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.KeysetPager;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.PageRequest;
import io.oneuihub.graphql.SortKey;
import io.oneuihub.graphql.SqlFilter;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class BudgetRepository {

    /** budgets without orderBy. */
    static final Ordering BY_SCOPE_AND_KEY = new Ordering("budgets:SCOPE:ASC", List.of(
            new SortKey("b.scope", SortKey.Type.TEXT),
            new SortKey("coalesce(b.external_id, '')", SortKey.Type.TEXT),
            SortKey.id("b")), false);

    /** Every column, and the hub id of the SHARED budget a customer uses (by its LiteLLM budget_id, see V5). */
    static final String COLUMNS = "b.*, (SELECT s.id FROM budget s WHERE s.scope = 'SHARED' AND s.external_id = b.shared_budget_external_id"
            + " AND s.deleted_at IS NULL) AS shared_budget_id";

    private static final TypeReference<List<ModelBudget>> MODEL_BUDGETS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final KeysetPager pager;
    private final JsonMapper json;

    public BudgetRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.pager = new KeysetPager(db);
        this.json = json;
    }

    Mono<Connection<Budget>> page(SqlFilter filter, Ordering ordering, PageRequest page, boolean withTotal) {
        // Tombstoned budgets (a mutation's delete, purged by a later sync) are gone.
        return pager.page(COLUMNS, "budget b", filter.and("b.deleted_at IS NULL"), ordering, page, withTotal, (row, i) -> map(row, json));
    }

    public Mono<Budget> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM budget b WHERE b.id = :id AND b.deleted_at IS NULL").bind("id", id).map(row -> map(row, json)).one();
    }

    public Mono<Budget> insert(Budget budget) {
        return db.sql("""
                        INSERT INTO budget (scope, external_id, name, max_budget, soft_budget, spend, duration, reset_at,
                          tpm_limit, rpm_limit, max_parallel_requests, model_budgets, status, last_synced_at)
                        VALUES (:scope, :externalId, :name, :maxBudget, :softBudget, :spend, :duration, :resetAt,
                          :tpm, :rpm, :parallel, :modelBudgets, :status, :lastSyncedAt)
                        RETURNING *""")
                .bind("scope", budget.scope().name())
                .bind("externalId", Binds.text(budget.externalId()))
                .bind("name", Binds.text(budget.name()))
                .bind("maxBudget", Binds.orNull(budget.maxBudget(), BigDecimal.class))
                .bind("softBudget", Binds.orNull(budget.softBudget(), BigDecimal.class))
                .bind("spend", budget.spend())
                .bind("duration", Binds.text(budget.duration()))
                .bind("resetAt", Binds.orNull(budget.resetAt(), OffsetDateTime.class))
                .bind("tpm", Binds.orNull(budget.tpmLimit(), Long.class))
                .bind("rpm", Binds.orNull(budget.rpmLimit(), Long.class))
                .bind("parallel", Binds.orNull(budget.maxParallelRequests(), Integer.class))
                .bind("modelBudgets", Json.of(json.writeValueAsString(budget.modelBudgets())))
                .bind("status", budget.status().name())
                .bind("lastSyncedAt", Binds.orNull(budget.lastSyncedAt(), OffsetDateTime.class))
                .map(row -> map(row, json))
                .one();
    }

    static Budget map(Readable row, JsonMapper json) {
        return new Budget(
                Rows.uuid(row, "id"),
                BudgetScope.valueOf(Rows.text(row, "scope")),
                Rows.text(row, "external_id"),
                Rows.text(row, "name"),
                Rows.decimal(row, "max_budget"),
                Rows.decimal(row, "soft_budget"),
                Rows.decimal(row, "spend"),
                Rows.text(row, "duration"),
                Rows.time(row, "reset_at"),
                Rows.bigint(row, "tpm_limit"),
                Rows.bigint(row, "rpm_limit"),
                Rows.integer(row, "max_parallel_requests"),
                json.readValue(Rows.json(row, "model_budgets"), MODEL_BUDGETS),
                // read through COLUMNS; the writers' plain SELECT * has no such column
                row instanceof io.r2dbc.spi.Row r && r.getMetadata().contains("shared_budget_id") ? Rows.uuid(row, "shared_budget_id") : null,
                Rows.text(row, "shared_budget_external_id"),
                RecordStatus.valueOf(Rows.text(row, "status")),
                Rows.time(row, "created_at"),
                Rows.time(row, "updated_at"),
                Rows.time(row, "last_synced_at"));
    }
}
