package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.db.Binds;
import io.oneuihub.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class DeploymentRepository {

    private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json;

    public DeploymentRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** One statement for any number of models: the batch behind Model.deployments. */
    Flux<Deployment> findByModelIds(Collection<UUID> modelIds) {
        return db.sql("SELECT d.* FROM deployment d WHERE d.model_id = ANY(:ids) AND d.deleted_at IS NULL ORDER BY d.external_id")
                .bind("ids", modelIds.toArray(UUID[]::new))
                .map(row -> map(row, json))
                .all();
    }

    public Mono<Deployment> insert(Deployment deployment) {
        return db.sql("""
                        INSERT INTO deployment (model_id, external_id, litellm_model, provider, mode,
                          input_cost_per_token, output_cost_per_token, max_tokens, max_input_tokens, max_output_tokens,
                          rpm, tpm, capabilities, editable, params, status, last_synced_at)
                        VALUES (:modelId, :externalId, :litellmModel, :provider, :mode,
                          :inputCost, :outputCost, :maxTokens, :maxInputTokens, :maxOutputTokens,
                          :rpm, :tpm, :capabilities, :editable, :params, :status, :lastSyncedAt)
                        RETURNING *""")
                .bind("modelId", deployment.modelId())
                .bind("externalId", deployment.externalId())
                .bind("litellmModel", deployment.litellmModel())
                .bind("provider", Binds.text(deployment.provider()))
                .bind("mode", Binds.text(deployment.mode()))
                .bind("inputCost", Binds.orNull(deployment.pricing().inputCostPerToken(), BigDecimal.class))
                .bind("outputCost", Binds.orNull(deployment.pricing().outputCostPerToken(), BigDecimal.class))
                .bind("maxTokens", Binds.orNull(deployment.limits().maxTokens(), Integer.class))
                .bind("maxInputTokens", Binds.orNull(deployment.limits().maxInputTokens(), Integer.class))
                .bind("maxOutputTokens", Binds.orNull(deployment.limits().maxOutputTokens(), Integer.class))
                .bind("rpm", Binds.orNull(deployment.limits().rpm(), Long.class))
                .bind("tpm", Binds.orNull(deployment.limits().tpm(), Long.class))
                .bind("capabilities", deployment.capabilities().stream().map(Enum::name).toArray(String[]::new))
                .bind("editable", deployment.editable())
                .bind("params", Binds.orNull(deployment.params() == null ? null
                        : Json.of(json.writeValueAsString(deployment.params())), Json.class))
                .bind("status", deployment.status().name())
                .bind("lastSyncedAt", Binds.orNull(deployment.lastSyncedAt(), java.time.OffsetDateTime.class))
                .map(row -> map(row, json))
                .one();
    }

    static Deployment map(Readable row, JsonMapper json) {
        String params = Rows.json(row, "params");
        return new Deployment(
                Rows.uuid(row, "id"),
                Rows.uuid(row, "model_id"),
                Rows.text(row, "external_id"),
                Rows.text(row, "litellm_model"),
                Rows.text(row, "provider"),
                Rows.text(row, "mode"),
                CatalogRows.pricing(row),
                CatalogRows.limits(row),
                CatalogRows.capabilities(row),
                Rows.bool(row, "editable"),
                params == null ? null : json.readValue(params, PARAMS),
                RecordStatus.valueOf(Rows.text(row, "status")),
                Rows.time(row, "created_at"),
                Rows.time(row, "updated_at"),
                Rows.time(row, "last_synced_at"));
    }
}
