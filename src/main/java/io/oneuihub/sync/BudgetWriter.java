package io.oneuihub.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

import io.oneuihub.db.Rows;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The sync's reads and writes of the budget table: LiteLLM-owned columns only, in batches. */
@Component
class BudgetWriter {

    static final String INSERT = "budget.insert";
    static final String UPDATE = "budget.update";
    static final String STALE = "budget.stale";
    static final String[] ORDER = {INSERT, UPDATE, STALE};

    private static final String COLUMNS = """
            id uuid, scope text, "externalId" text, name text, "maxBudget" numeric, "softBudget" numeric, spend numeric,
            duration text, "resetAt" timestamptz, "tpmLimit" bigint, "rpmLimit" bigint, "maxParallelRequests" integer,
            "modelBudgets" jsonb, status text""";

    private static final Map<String, String> SQL = Map.of(
            INSERT, """
                    INSERT INTO budget (id, scope, external_id, name, max_budget, soft_budget, spend, duration, reset_at,
                      tpm_limit, rpm_limit, max_parallel_requests, model_budgets, status, last_synced_at)
                    SELECT r.id, r.scope, r."externalId", r.name, r."maxBudget", r."softBudget", coalesce(r.spend, 0), r.duration,
                      r."resetAt", r."tpmLimit", r."rpmLimit", r."maxParallelRequests", coalesce(r."modelBudgets", '[]'),
                      r.status, now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(""" + COLUMNS + ")",
            UPDATE, """
                    UPDATE budget b SET name = r.name, max_budget = r."maxBudget", soft_budget = r."softBudget",
                      spend = coalesce(r.spend, 0), duration = r.duration, reset_at = r."resetAt", tpm_limit = r."tpmLimit",
                      rpm_limit = r."rpmLimit", max_parallel_requests = r."maxParallelRequests",
                      model_budgets = coalesce(r."modelBudgets", '[]'), status = r.status, updated_at = now(), last_synced_at = now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(""" + COLUMNS + """
                    ) WHERE b.id = r.id""",
            STALE, """
                    UPDATE budget b SET status = 'STALE', updated_at = now(), last_synced_at = now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid) WHERE b.id = r.id AND b.status <> 'STALE'""");

    record StoredBudget(UUID id, String key, Map<String, Object> owned) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    BudgetWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Budgets with a LiteLLM counterpart (external_id set); hub-only rows are none of the sync's business. */
    Mono<List<StoredBudget>> load() {
        return db.sql("SELECT b.*, b.model_budgets::text AS model_budgets_text FROM budget b WHERE external_id IS NOT NULL ORDER BY scope, external_id")
                .map(this::map).all().collectList();
    }

    private StoredBudget map(Readable row) {
        Map<String, Object> owned = new LinkedHashMap<>();
        owned.put("name", Rows.text(row, "name"));
        owned.put("maxBudget", Values.decimal(Rows.decimal(row, "max_budget"), 6));
        owned.put("softBudget", Values.decimal(Rows.decimal(row, "soft_budget"), 6));
        owned.put("spend", Values.decimal(Rows.decimal(row, "spend"), 6));
        owned.put("duration", Rows.text(row, "duration"));
        owned.put("resetAt", Values.time(Rows.time(row, "reset_at")));
        owned.put("tpmLimit", Rows.bigint(row, "tpm_limit"));
        owned.put("rpmLimit", Rows.bigint(row, "rpm_limit"));
        owned.put("maxParallelRequests", Rows.integer(row, "max_parallel_requests"));
        owned.put("modelBudgets", Values.canonicalJson(json, Rows.text(row, "model_budgets_text")));
        owned.put("status", Rows.text(row, "status"));
        return new StoredBudget(Rows.uuid(row, "id"), Rows.text(row, "scope") + ":" + Rows.text(row, "external_id"), owned);
    }

    Mono<Integer> apply(Plan plan, int batchSize, IntFunction<Mono<Void>> progress) {
        return CatalogWriter.BatchWrites.apply(db, json, plan, SQL, batchSize, progress);
    }
}
