package io.oneuihub.catalog;

import java.math.BigDecimal;
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
 * The one place model rows are written, by the models sync (a batch per statement) and by the model mutations
 * (a list of one). Writes touch the LiteLLM-owned columns only, plus the company while company_manual is false
 * (checked in SQL, so an admin's choice made meanwhile still wins). How a write treats the other kind of writer
 * is the {@link WriteOrigin}'s business: a sync leaves rows a mutation wrote after the sync started; a mutation
 * stamps local_write_at. Tombstoned rows (deleted_at set) are never written and never read here.
 * Callers run the statements inside their transaction.
 */
@Component
public class ModelWriter {

    /** Record components = recordset columns; checked when this class loads. */
    static final Recordset<ModelRow> ROWS = Recordset.of(ModelRow.class, """
            id uuid, name text, "companyId" uuid, mode text, "inputCostPerToken" numeric, "outputCostPerToken" numeric,
            "maxTokens" integer, "maxInputTokens" integer, "maxOutputTokens" integer, rpm bigint, tpm bigint,
            capabilities text[], "externalId" text, status text""");

    /** A stored, live (not tombstoned) model as the writers' callers need it. */
    public record Stored(ModelRow row, boolean companyManual, OffsetDateTime localWriteAt, OffsetDateTime updatedAt) {

        /** True when a mutation wrote the row at or after {@code since} (a sync that started then leaves it alone). */
        public boolean writtenLocallySince(OffsetDateTime since) {
            return localWriteAt != null && !localWriteAt.isBefore(since);
        }
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    public ModelWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    // ------------------------------------------------------------------ writes

    /**
     * Inserts new models, enabled, not free, without a description and with a derived company (a mutation
     * sets hub-owned columns afterwards, in the same transaction). A row whose id or name exists already
     * (live or tombstoned) is left out: ON CONFLICT DO NOTHING, so it is missing from the answer.
     */
    public Mono<Written> insert(List<ModelRow> rows, WriteOrigin origin) {
        return origin.writeRows(db, json, ROWS, rows, """
                INSERT INTO model (id, name, company_id, mode, input_cost_per_token, output_cost_per_token, max_tokens,
                  max_input_tokens, max_output_tokens, rpm, tpm, capabilities, external_id, status, enabled, free,
                  last_synced_at, local_write_at)
                SELECT r.id, r.name, r."companyId", r.mode, r."inputCostPerToken", r."outputCostPerToken", r."maxTokens",
                  r."maxInputTokens", r."maxOutputTokens", r.rpm, r.tpm, coalesce(r.capabilities, '{}'), r."externalId",
                  r.status, true, false, now(), %s
                FROM %s
                ON CONFLICT DO NOTHING
                RETURNING id""".formatted(origin.insertedLocalWrite(), ROWS.fromItem()));
    }

    /**
     * Sets the LiteLLM-owned columns (and status: a STALE row comes back ACTIVE) of live rows by id; the name is
     * the key and never changes. Answers the rows written; a row the origin's guard stopped is missing.
     */
    public Mono<Written> update(List<ModelRow> rows, WriteOrigin origin) {
        return origin.writeRows(db, json, ROWS, rows, """
                UPDATE model m SET
                  company_id = CASE WHEN m.company_manual THEN m.company_id ELSE r."companyId" END,
                  mode = r.mode, input_cost_per_token = r."inputCostPerToken", output_cost_per_token = r."outputCostPerToken",
                  max_tokens = r."maxTokens", max_input_tokens = r."maxInputTokens", max_output_tokens = r."maxOutputTokens",
                  rpm = r.rpm, tpm = r.tpm, capabilities = coalesce(r.capabilities, '{}'), external_id = r."externalId",
                  status = r.status, updated_at = now(), last_synced_at = now()%s
                FROM %s
                WHERE m.id = r.id AND m.deleted_at IS NULL%s
                RETURNING m.id""".formatted(origin.stamp(), ROWS.fromItem(), origin.guard("m")));
    }

    /** Marks live models STALE (missing upstream). */
    public Mono<Written> markStale(Collection<UUID> ids, WriteOrigin origin) {
        return origin.writeIds(db, ids, """
                UPDATE model m SET status = 'STALE', updated_at = now(), last_synced_at = now()%s
                WHERE m.id = ANY(:ids) AND m.status <> 'STALE' AND m.deleted_at IS NULL%s
                RETURNING m.id""".formatted(origin.stamp(), origin.guard("m")));
    }

    /**
     * A mutation's delete: tombstones the models and their deployments (deleted_at = local_write_at = now()).
     * Every read path hides them from then on; a sync purges them later. Answers the models tombstoned.
     */
    public Mono<Written> markDeleted(Collection<UUID> ids) {
        return WriteOrigin.mutation().writeIds(db, ids, """
                WITH gone AS (
                  UPDATE model SET deleted_at = now(), local_write_at = now(), updated_at = now()
                  WHERE id = ANY(:ids) AND deleted_at IS NULL RETURNING id),
                deployments AS (
                  UPDATE deployment SET deleted_at = now(), local_write_at = now(), updated_at = now()
                  WHERE model_id IN (SELECT id FROM gone) AND deleted_at IS NULL)
                SELECT id FROM gone""");
    }

    /**
     * Removes the tombstone of a model name (with its deployments), so a mutation can create that name again.
     * Safe while a sync runs: the row the mutation then inserts is stamped, so that sync leaves it alone.
     */
    public Mono<Integer> dropTombstone(String name) {
        return db.sql("DELETE FROM model WHERE name = :name AND deleted_at IS NOT NULL")
                .bind("name", name).fetch().rowsUpdated().map(Long::intValue);
    }

    /** Physically deletes the tombstones older than {@code deletedBefore} (and their deployments). */
    public Mono<Integer> purgeTombstones(OffsetDateTime deletedBefore) {
        return db.sql("DELETE FROM model WHERE deleted_at < :before")
                .bind("before", deletedBefore).fetch().rowsUpdated().map(Long::intValue);
    }

    // ------------------------------------------------------------------ reads

    /**
     * Every live model (the sync's view of the stored catalog), by name: only the columns the sync compares, so
     * the thousands of rows it reads decode no description or timestamps it never looks at. localWriteAt is set
     * only when a mutation wrote the row at or after {@code since} (all {@link Stored#writtenLocallySince} of
     * that run needs); updatedAt is null (the sync has no expected version to check).
     */
    public Flux<Stored> live(OffsetDateTime since) {
        return live(since, false);
    }

    /** The live rows a mutation wrote at or after {@code since} (a sync's view of what admins did while it ran). */
    public Flux<Stored> writtenSince(OffsetDateTime since) {
        return live(since, true);
    }

    private Flux<Stored> live(OffsetDateTime since, boolean writtenSinceOnly) {
        return db.sql("""
                        SELECT id, name, company_id, company_manual, mode, input_cost_per_token, output_cost_per_token,
                          max_tokens, max_input_tokens, max_output_tokens, rpm, tpm, capabilities, external_id, status,
                          CASE WHEN local_write_at >= :since THEN local_write_at END AS local_write_at
                        FROM model WHERE deleted_at IS NULL%s ORDER BY name""".formatted(writtenSinceOnly ? " AND local_write_at >= :since" : ""))
                .bind("since", since)
                // by position, in the SELECT's order: thousands of rows, and a name lookup per value adds up; the
                // prices raw (scale 18): ModelRow normalises them once
                .map(row -> new Stored(new ModelRow(row.get(0, UUID.class), row.get(1, String.class), row.get(2, UUID.class),
                        row.get(4, String.class), row.get(5, BigDecimal.class), row.get(6, BigDecimal.class),
                        row.get(7, Integer.class), row.get(8, Integer.class), row.get(9, Integer.class),
                        row.get(10, Long.class), row.get(11, Long.class), capabilities(row.get(12, String[].class)),
                        row.get(13, String.class), RecordStatus.valueOf(row.get(14, String.class))),
                        Boolean.TRUE.equals(row.get(3, Boolean.class)), row.get(15, OffsetDateTime.class), null))
                .all();
    }

    /** A model's columns by position ({@link ModelRepository#map}), then local_write_at. */
    private static final String SELECT_STORED = "SELECT " + ModelRepository.ModelColumns.ALL.select()
            + ", m.local_write_at FROM model m";

    public Mono<Stored> find(UUID id) {
        return db.sql(SELECT_STORED + " WHERE m.id = :id AND m.deleted_at IS NULL").bind("id", id).map(ModelWriter::stored).one();
    }

    public Mono<Stored> findByName(String name) {
        return db.sql(SELECT_STORED + " WHERE m.name = :name AND m.deleted_at IS NULL")
                .bind("name", name).map(ModelWriter::stored).one();
    }

    /** Reads and locks a live model until the transaction ends: concurrent mutations of it queue here. */
    public Mono<Stored> lock(UUID id) {
        return db.sql(SELECT_STORED + " WHERE m.id = :id AND m.deleted_at IS NULL FOR UPDATE")
                .bind("id", id).map(ModelWriter::stored).one();
    }

    /** Names of the models tombstoned at or after {@code since}: a sync that started then must not bring them back. */
    public Mono<Set<String>> deletedSince(OffsetDateTime since) {
        return db.sql("SELECT name FROM model WHERE deleted_at >= :since")
                .bind("since", since).map(row -> Rows.text(row, "name")).all().collect(HashSet::new, Set::add);
    }

    // ------------------------------------------------------------------ plumbing

    static List<ModelCapability> capabilities(String[] names) {
        if (names == null || names.length == 0) {
            return List.of();
        }
        ModelCapability[] values = new ModelCapability[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = ModelCapability.valueOf(names[i]);
        }
        return List.of(values);
    }

    static Stored stored(Readable row) {
        Model model = ModelRepository.map(row);
        return new Stored(ModelRow.of(model), model.companyManual(), Rows.time(row, ModelRepository.ModelColumns.ALL.count()),
                model.updatedAt());
    }
}
