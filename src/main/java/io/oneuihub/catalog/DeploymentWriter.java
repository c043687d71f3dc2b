package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import io.r2dbc.postgresql.codec.Json;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place deployment rows are written, by the models sync and by the model mutations; the rules of
 * {@link ModelWriter} apply. A deployment is only written under a live model: a row whose model is missing or
 * tombstoned is left out of the answer, as is an insert whose id or external_id exists already.
 */
@Component
public class DeploymentWriter {

    /** Record components = recordset columns; checked when this class loads. */
    static final Recordset<DeploymentRow> ROWS = Recordset.of(DeploymentRow.class, """
            id uuid, "externalId" text, "modelId" uuid, "litellmModel" text, provider text, mode text,
            "inputCostPerToken" numeric, "outputCostPerToken" numeric, "maxTokens" integer, "maxInputTokens" integer,
            "maxOutputTokens" integer, rpm bigint, tpm bigint, capabilities text[], editable boolean, params jsonb,
            status text""");

    private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {
    };

    private static final String LIVE_MODEL = "EXISTS (SELECT 1 FROM model pm WHERE pm.id = r.\"modelId\" AND pm.deleted_at IS NULL)";

    /** A stored, live deployment. */
    public record Stored(DeploymentRow row, OffsetDateTime localWriteAt, OffsetDateTime updatedAt) {

        public boolean writtenLocallySince(OffsetDateTime since) {
            return localWriteAt != null && !localWriteAt.isBefore(since);
        }
    }

    private final DatabaseClient db;
    private final JsonMapper json;
    private final ObjectReader paramsReader;

    public DeploymentWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
        this.paramsReader = json.readerFor(PARAMS)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    }

    // ------------------------------------------------------------------ writes

    public Mono<Written> insert(List<DeploymentRow> rows, WriteOrigin origin) {
        return origin.writeRows(db, json, ROWS, rows, """
                INSERT INTO deployment (id, external_id, model_id, litellm_model, provider, mode, input_cost_per_token,
                  output_cost_per_token, max_tokens, max_input_tokens, max_output_tokens, rpm, tpm, capabilities, editable,
                  params, status, last_synced_at, local_write_at)
                SELECT r.id, r."externalId", r."modelId", r."litellmModel", r.provider, r.mode, r."inputCostPerToken",
                  r."outputCostPerToken", r."maxTokens", r."maxInputTokens", r."maxOutputTokens", r.rpm, r.tpm,
                  coalesce(r.capabilities, '{}'), r.editable, r.params, r.status, now(), %s
                FROM %s
                WHERE %s
                ON CONFLICT DO NOTHING
                RETURNING id""".formatted(origin.insertedLocalWrite(), ROWS.fromItem(), LIVE_MODEL));
    }

    /** Sets the LiteLLM-owned columns, the model (a deployment renamed upstream moves) and status of live rows by id. */
    public Mono<Written> update(List<DeploymentRow> rows, WriteOrigin origin) {
        return origin.writeRows(db, json, ROWS, rows, """
                UPDATE deployment d SET model_id = r."modelId", litellm_model = r."litellmModel", provider = r.provider,
                  mode = r.mode, input_cost_per_token = r."inputCostPerToken", output_cost_per_token = r."outputCostPerToken",
                  max_tokens = r."maxTokens", max_input_tokens = r."maxInputTokens", max_output_tokens = r."maxOutputTokens",
                  rpm = r.rpm, tpm = r.tpm, capabilities = coalesce(r.capabilities, '{}'), editable = r.editable,
                  params = r.params, status = r.status, updated_at = now(), last_synced_at = now()%s
                FROM %s
                WHERE d.id = r.id AND d.deleted_at IS NULL AND %s%s
                RETURNING d.id""".formatted(origin.stamp(), ROWS.fromItem(), LIVE_MODEL, origin.guard("d")));
    }

    public Mono<Written> markStale(Collection<UUID> ids, WriteOrigin origin) {
        return origin.writeIds(db, ids, """
                UPDATE deployment d SET status = 'STALE', updated_at = now(), last_synced_at = now()%s
                WHERE d.id = ANY(:ids) AND d.status <> 'STALE' AND d.deleted_at IS NULL%s
                RETURNING d.id""".formatted(origin.stamp(), origin.guard("d")));
    }

    /** A mutation's removeDeployment: tombstones the rows (deleted_at = local_write_at = now()). */
    public Mono<Written> markDeleted(Collection<UUID> ids) {
        return WriteOrigin.mutation().writeIds(db, ids, """
                UPDATE deployment SET deleted_at = now(), local_write_at = now(), updated_at = now()
                WHERE id = ANY(:ids) AND deleted_at IS NULL RETURNING id""");
    }

    /** Physically deletes the tombstones older than {@code deletedBefore}. */
    public Mono<Integer> purgeTombstones(OffsetDateTime deletedBefore) {
        return db.sql("DELETE FROM deployment WHERE deleted_at < :before")
                .bind("before", deletedBefore).fetch().rowsUpdated().map(Long::intValue);
    }

    // ------------------------------------------------------------------ reads

    /** Every live deployment (the sync's view), by external id; localWriteAt and updatedAt as in {@link ModelWriter#live}. */
    public Flux<Stored> live(OffsetDateTime since) {
        return live(since, false);
    }

    /** The live rows a mutation wrote at or after {@code since} (a sync's view of what admins did while it ran). */
    public Flux<Stored> writtenSince(OffsetDateTime since) {
        return live(since, true);
    }

    private Flux<Stored> live(OffsetDateTime since, boolean writtenSinceOnly) {
        return db.sql("""
                        SELECT id, external_id, model_id, litellm_model, provider, mode, input_cost_per_token,
                          output_cost_per_token, max_tokens, max_input_tokens, max_output_tokens, rpm, tpm, capabilities,
                          editable, params, status, CASE WHEN local_write_at >= :since THEN local_write_at END AS local_write_at
                        FROM deployment WHERE deleted_at IS NULL%s ORDER BY external_id""".formatted(writtenSinceOnly ? " AND local_write_at >= :since" : ""))
                .bind("since", since)
                // by position, in the SELECT's order (see ModelWriter#live)
                .map(row -> {
                    Json params = row.get(15, Json.class);
                    return new Stored(new DeploymentRow(row.get(0, UUID.class), row.get(1, String.class),
                            row.get(2, UUID.class), row.get(3, String.class), row.get(4, String.class),
                            row.get(5, String.class), row.get(6, BigDecimal.class), row.get(7, BigDecimal.class),
                            row.get(8, Integer.class), row.get(9, Integer.class), row.get(10, Integer.class),
                            row.get(11, Long.class), row.get(12, Long.class), ModelWriter.capabilities(row.get(13, String[].class)),
                            Boolean.TRUE.equals(row.get(14, Boolean.class)), params == null ? null : storedParams(params.asArray()),
                            RecordStatus.valueOf(row.get(16, String.class))),
                            row.get(17, OffsetDateTime.class), null);
                })
                .all();
    }

    /** A model's live deployments, by external id: with {@link ModelDerivation}, what a mutation re-derives the model from. */
    public Flux<Stored> ofModel(UUID modelId) {
        return db.sql("SELECT * FROM deployment WHERE model_id = :id AND deleted_at IS NULL ORDER BY external_id")
                .bind("id", modelId).map(this::stored).all();
    }

    public Mono<Stored> find(UUID id) {
        return db.sql("SELECT * FROM deployment WHERE id = :id AND deleted_at IS NULL").bind("id", id).map(this::stored).one();
    }

    public Mono<Stored> findByExternalId(String externalId) {
        return db.sql("SELECT * FROM deployment WHERE external_id = :id AND deleted_at IS NULL")
                .bind("id", externalId).map(this::stored).one();
    }

    /** External ids of the deployments tombstoned at or after {@code since}. */
    public Mono<Set<String>> deletedSince(OffsetDateTime since) {
        return db.sql("SELECT external_id FROM deployment WHERE deleted_at >= :since")
                .bind("since", since).map(row -> Rows.text(row, "external_id")).all().collect(HashSet::new, Set::add);
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * Stored params with numbers as LiteLLM's decoder gives them (BigInteger, BigDecimal), so that a stored row and
     * the row built from LiteLLM are equal records when nothing changed and the sync needs no field-by-field compare.
     */
    private Map<String, Object> storedParams(byte[] document) {
        return paramsReader.readValue(document);
    }

    private Stored stored(Readable row) {
        Deployment deployment = DeploymentRepository.map(row, json);
        return new Stored(DeploymentRow.of(deployment), Rows.time(row, "local_write_at"), deployment.updatedAt());
    }
}
