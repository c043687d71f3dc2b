package io.oneuihub.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

import io.oneuihub.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sync's reads and writes of company, company_provider, model and deployment. Writes touch only the
 * LiteLLM-owned columns; a model's company only while company_manual is false (checked in SQL, so an admin
 * choice made during a sync still wins). Rows go in batches through jsonb_to_recordset: one statement per
 * batch, not per row.
 */
@Component
class CatalogWriter {

    static final String COMPANY_INSERT = "company.insert";
    static final String PROVIDER_INSERT = "company_provider.insert";
    static final String MODEL_INSERT = "model.insert";
    static final String MODEL_UPDATE = "model.update";
    static final String DEPLOYMENT_INSERT = "deployment.insert";
    static final String DEPLOYMENT_UPDATE = "deployment.update";
    static final String MODEL_STALE = "model.stale";
    static final String DEPLOYMENT_STALE = "deployment.stale";

    static final String[] ORDER = {COMPANY_INSERT, PROVIDER_INSERT, MODEL_INSERT, MODEL_UPDATE, MODEL_STALE,
        DEPLOYMENT_INSERT, DEPLOYMENT_UPDATE, DEPLOYMENT_STALE};

    private static final String MODEL_COLUMNS = """
            id uuid, name text, "companyId" uuid, mode text, "inputCostPerToken" numeric, "outputCostPerToken" numeric,
            "maxTokens" integer, "maxInputTokens" integer, "maxOutputTokens" integer, rpm bigint, tpm bigint,
            capabilities text[], "externalId" text, status text""";

    private static final String DEPLOYMENT_COLUMNS = """
            id uuid, "externalId" text, "modelId" uuid, "litellmModel" text, provider text, mode text,
            "inputCostPerToken" numeric, "outputCostPerToken" numeric, "maxTokens" integer, "maxInputTokens" integer,
            "maxOutputTokens" integer, rpm bigint, tpm bigint, capabilities text[], editable boolean, params jsonb, status text""";

    private static final Map<String, String> SQL = Map.of(
            MODEL_STALE, """
                    UPDATE model m SET status = 'STALE', updated_at = now(), last_synced_at = now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid) WHERE m.id = r.id AND m.status <> 'STALE'""",
            DEPLOYMENT_STALE, """
                    UPDATE deployment d SET status = 'STALE', updated_at = now(), last_synced_at = now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid) WHERE d.id = r.id AND d.status <> 'STALE'""",
            COMPANY_INSERT, """
                    INSERT INTO company (id, slug, name)
                    SELECT r.id, r.slug, r.name FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid, slug text, name text)""",
            PROVIDER_INSERT, """
                    INSERT INTO company_provider (provider, company_id)
                    SELECT r.provider, r."companyId" FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(provider text, "companyId" uuid)
                    ON CONFLICT (provider) DO NOTHING""",
            MODEL_INSERT, """
                    INSERT INTO model (id, name, company_id, mode, input_cost_per_token, output_cost_per_token, max_tokens,
                      max_input_tokens, max_output_tokens, rpm, tpm, capabilities, external_id, status, enabled, free, last_synced_at)
                    SELECT r.id, r.name, r."companyId", r.mode, r."inputCostPerToken", r."outputCostPerToken", r."maxTokens",
                      r."maxInputTokens", r."maxOutputTokens", r.rpm, r.tpm, coalesce(r.capabilities, '{}'), r."externalId",
                      r.status, true, false, now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(""" + MODEL_COLUMNS + ")",
            MODEL_UPDATE, """
                    UPDATE model m SET
                      company_id = CASE WHEN m.company_manual THEN m.company_id ELSE r."companyId" END,
                      mode = r.mode, input_cost_per_token = r."inputCostPerToken", output_cost_per_token = r."outputCostPerToken",
                      max_tokens = r."maxTokens", max_input_tokens = r."maxInputTokens", max_output_tokens = r."maxOutputTokens",
                      rpm = r.rpm, tpm = r.tpm, capabilities = coalesce(r.capabilities, '{}'), external_id = r."externalId",
                      status = r.status, updated_at = now(), last_synced_at = now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(""" + MODEL_COLUMNS + """
                    ) WHERE m.id = r.id""",
            DEPLOYMENT_INSERT, """
                    INSERT INTO deployment (id, external_id, model_id, litellm_model, provider, mode, input_cost_per_token,
                      output_cost_per_token, max_tokens, max_input_tokens, max_output_tokens, rpm, tpm, capabilities, editable,
                      params, status, last_synced_at)
                    SELECT r.id, r."externalId", r."modelId", r."litellmModel", r.provider, r.mode, r."inputCostPerToken",
                      r."outputCostPerToken", r."maxTokens", r."maxInputTokens", r."maxOutputTokens", r.rpm, r.tpm,
                      coalesce(r.capabilities, '{}'), r.editable, r.params, r.status, now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(""" + DEPLOYMENT_COLUMNS + ")",
            DEPLOYMENT_UPDATE, """
                    UPDATE deployment d SET model_id = r."modelId", litellm_model = r."litellmModel", provider = r.provider,
                      mode = r.mode, input_cost_per_token = r."inputCostPerToken", output_cost_per_token = r."outputCostPerToken",
                      max_tokens = r."maxTokens", max_input_tokens = r."maxInputTokens", max_output_tokens = r."maxOutputTokens",
                      rpm = r.rpm, tpm = r.tpm, capabilities = coalesce(r.capabilities, '{}'), editable = r.editable,
                      params = r.params, status = r.status, updated_at = now(), last_synced_at = now()
                    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(""" + DEPLOYMENT_COLUMNS + """
                    ) WHERE d.id = r.id""");

    record StoredModel(UUID id, String name, boolean companyManual, Map<String, Object> owned) {
    }

    record StoredDeployment(UUID id, String externalId, Map<String, Object> owned, Map<String, Object> params) {
    }

    record CatalogState(Map<String, UUID> providers, Map<String, UUID> companiesBySlug, List<StoredModel> models,
            List<StoredDeployment> deployments) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    CatalogWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The current catalog as far as the sync cares (inside the apply transaction when there is one). */
    Mono<CatalogState> load() {
        Mono<Map<String, UUID>> providers = db.sql("SELECT provider, company_id FROM company_provider")
                .map(row -> Map.entry(Rows.text(row, "provider"), Rows.uuid(row, "company_id")))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<Map<String, UUID>> slugs = db.sql("SELECT slug, id FROM company")
                .map(row -> Map.entry(Rows.text(row, "slug"), Rows.uuid(row, "id")))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<List<StoredModel>> models = db.sql("SELECT * FROM model ORDER BY name").map(this::model).all().collectList();
        Mono<List<StoredDeployment>> deployments = db.sql("SELECT d.*, d.params::text AS params_text FROM deployment d ORDER BY external_id")
                .map(this::deployment).all().collectList();
        return Mono.zip(providers, slugs, models, deployments)
                .map(t -> new CatalogState(t.getT1(), t.getT2(), t.getT3(), t.getT4()));
    }

    /** The LiteLLM-owned columns models and deployments share, in the form the planners compare. */
    private static void putPricingLimitsAndCapabilities(Map<String, Object> owned, Readable row) {
        owned.put("mode", Rows.text(row, "mode"));
        owned.put("inputCostPerToken", Values.decimal(Rows.decimal(row, "input_cost_per_token"), Values.PRICE_SCALE));
        owned.put("outputCostPerToken", Values.decimal(Rows.decimal(row, "output_cost_per_token"), Values.PRICE_SCALE));
        owned.put("maxTokens", Rows.integer(row, "max_tokens"));
        owned.put("maxInputTokens", Rows.integer(row, "max_input_tokens"));
        owned.put("maxOutputTokens", Rows.integer(row, "max_output_tokens"));
        owned.put("rpm", Rows.bigint(row, "rpm"));
        owned.put("tpm", Rows.bigint(row, "tpm"));
        owned.put("capabilities", Rows.textArray(row, "capabilities").stream().sorted().toList());
    }

    private StoredModel model(Readable row) {
        Map<String, Object> owned = new LinkedHashMap<>();
        owned.put("companyId", Rows.uuid(row, "company_id"));
        putPricingLimitsAndCapabilities(owned, row);
        owned.put("externalId", Rows.text(row, "external_id"));
        owned.put("status", Rows.text(row, "status"));
        return new StoredModel(Rows.uuid(row, "id"), Rows.text(row, "name"), Rows.bool(row, "company_manual"), owned);
    }

    private StoredDeployment deployment(Readable row) {
        Map<String, Object> owned = new LinkedHashMap<>();
        owned.put("modelId", Rows.uuid(row, "model_id"));
        owned.put("litellmModel", Rows.text(row, "litellm_model"));
        owned.put("provider", Rows.text(row, "provider"));
        putPricingLimitsAndCapabilities(owned, row);
        owned.put("editable", Rows.bool(row, "editable"));
        owned.put("params", Values.canonicalJson(json, Rows.text(row, "params_text")));
        owned.put("status", Rows.text(row, "status"));
        return new StoredDeployment(Rows.uuid(row, "id"), Rows.text(row, "external_id"), owned, null);
    }

    /**
     * Runs the plan's writes in order, batchSize rows per statement; reports rows written so far after each
     * statement. Answers the rows written.
     */
    Mono<Integer> apply(Plan plan, int batchSize, IntFunction<Mono<Void>> progress) {
        return BatchWrites.apply(db, json, plan, SQL, batchSize, progress);
    }

    /** Shared by the catalog and budget writers. */
    static final class BatchWrites {

        private BatchWrites() {
        }

        static Mono<Integer> apply(DatabaseClient db, JsonMapper json, Plan plan, Map<String, String> sql, int batchSize,
                IntFunction<Mono<Void>> progress) {
            List<Map.Entry<String, List<Map<String, Object>>>> batches = new ArrayList<>();
            plan.writes().forEach((statement, rows) -> {
                for (int from = 0; from < rows.size(); from += batchSize) {
                    batches.add(Map.entry(statement, rows.subList(from, Math.min(rows.size(), from + batchSize))));
                }
            });
            int[] written = {0};
            return Flux.fromIterable(batches)
                    .concatMap(batch -> {
                        String statement = sql.get(batch.getKey());
                        if (statement == null) {
                            return Mono.error(new IllegalStateException("no SQL for " + batch.getKey()));
                        }
                        List<Map<String, Object>> document = batch.getValue().stream().map(BatchWrites::sqlRow).toList();
                        return db.sql(statement)
                                .bind("rows", Json.of(json.writeValueAsString(document)))
                                .fetch().rowsUpdated()
                                .flatMap(n -> {
                                    written[0] += n.intValue();
                                    return progress.apply(written[0]);
                                });
                    })
                    .then(Mono.fromSupplier(() -> written[0]));
        }

        private static Map<String, Object> sqlRow(Map<String, Object> row) {
            Map<String, Object> converted = new LinkedHashMap<>();
            row.forEach((k, v) -> converted.put(k, Values.forSql(v)));
            return converted;
        }
    }
}
