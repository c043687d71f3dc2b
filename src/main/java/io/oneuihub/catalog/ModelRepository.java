package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.db.Binds;
import io.oneuihub.db.Rows;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.KeysetPager;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.PageRequest;
import io.oneuihub.graphql.SqlFilter;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ModelRepository {

    static final String VISIBLE = "m.enabled AND m.status = 'ACTIVE'";

    /** Tombstoned models (a mutation's delete, purged by a later sync) are gone for everyone, admins too. */
    static final String LIVE = "m.deleted_at IS NULL";

    private final DatabaseClient db;
    private final KeysetPager pager;

    public ModelRepository(DatabaseClient db) {
        this.db = db;
        this.pager = new KeysetPager(db);
    }

    /**
     * Every column the API shows but the three timestamps. The driver parses a timestamptz from its text form,
     * which is the costliest value of a row; a catalog page rarely shows them.
     */
    private static final String WITHOUT_TIMES = "m.id, m.name, m.company_id, m.company_manual, m.description, m.mode,"
            + " m.input_cost_per_token, m.output_cost_per_token, m.max_tokens, m.max_input_tokens, m.max_output_tokens,"
            + " m.rpm, m.tpm, m.capabilities, m.enabled, m.free, m.status, m.external_id";

    /** The company of each model, in the page's own statement (aliased c_*; see {@link CompanyRepository#mapJoined}). */
    private static final String COMPANY_JOIN = "LEFT JOIN company c ON c.id = m.company_id";

    /** One page of models and, when asked for, their companies by id. */
    public record ModelPage(Connection<Model> models, Map<UUID, Company> companies) {
    }

    /**
     * @param withTimes     whether createdAt, updatedAt and lastSyncedAt are read (else they are null in the page),
     *                      of the models and of joined companies
     * @param withCompanies whether each model's company is read in the same statement (a join; no batch load)
     * @param withProviders whether those companies need their providers (else empty)
     */
    Mono<ModelPage> page(SqlFilter filter, Ordering ordering, PageRequest page, boolean withTotal, boolean withTimes,
            boolean withCompanies, boolean withProviders) {
        String select = (withTimes ? "m.*" : WITHOUT_TIMES)
                + (withCompanies ? ", " + CompanyRepository.joinedColumns(withTimes, withProviders) : "");
        return Mono.defer(() -> {
            // filled while the rows are mapped, one after the other, before the page completes
            Map<UUID, Company> companies = withCompanies ? new HashMap<>() : Map.of();
            return pager.page(select, "model m", withCompanies ? COMPANY_JOIN : "", filter.and(LIVE), ordering, page,
                    withTotal, (row, i) -> {
                        Model model = mapRow(row, withTimes);
                        if (withCompanies && model.companyId() != null && !companies.containsKey(model.companyId())) {
                            companies.put(model.companyId(), CompanyRepository.mapJoined(row, withTimes, withProviders));
                        }
                        return model;
                    }).map(connection -> new ModelPage(connection, companies));
        });
    }

    public Mono<Model> findById(UUID id) {
        return db.sql("SELECT m.* FROM model m WHERE m.id = :id AND " + LIVE).bind("id", id).map(ModelRepository::map).one();
    }

    public Mono<Model> findByName(String name) {
        return db.sql("SELECT m.* FROM model m WHERE m.name = :name AND " + LIVE).bind("name", name).map(ModelRepository::map).one();
    }

    /** One statement for any number of companies: the batch behind Company.models. */
    Flux<Model> findByCompanyIds(Collection<UUID> companyIds, boolean visibleOnly) {
        return db.sql("SELECT m.* FROM model m WHERE m.company_id = ANY(:ids) AND " + LIVE
                        + (visibleOnly ? " AND " + VISIBLE : "") + " ORDER BY m.name, m.id")
                .bind("ids", companyIds.toArray(UUID[]::new))
                .map(ModelRepository::map)
                .all();
    }

    public Mono<Model> insert(Model model) {
        return db.sql("""
                        INSERT INTO model (name, company_id, company_manual, description, mode,
                          input_cost_per_token, output_cost_per_token, max_tokens, max_input_tokens, max_output_tokens,
                          rpm, tpm, capabilities, enabled, free, status, external_id, last_synced_at)
                        VALUES (:name, :companyId, :companyManual, :description, :mode,
                          :inputCost, :outputCost, :maxTokens, :maxInputTokens, :maxOutputTokens,
                          :rpm, :tpm, :capabilities, :enabled, :free, :status, :externalId, :lastSyncedAt)
                        RETURNING *""")
                .bind("name", model.name())
                .bind("companyId", Binds.orNull(model.companyId(), UUID.class))
                .bind("companyManual", model.companyManual())
                .bind("description", Binds.text(model.description()))
                .bind("mode", Binds.text(model.mode()))
                .bind("inputCost", Binds.orNull(model.pricing().inputCostPerToken(), BigDecimal.class))
                .bind("outputCost", Binds.orNull(model.pricing().outputCostPerToken(), BigDecimal.class))
                .bind("maxTokens", Binds.orNull(model.limits().maxTokens(), Integer.class))
                .bind("maxInputTokens", Binds.orNull(model.limits().maxInputTokens(), Integer.class))
                .bind("maxOutputTokens", Binds.orNull(model.limits().maxOutputTokens(), Integer.class))
                .bind("rpm", Binds.orNull(model.limits().rpm(), Long.class))
                .bind("tpm", Binds.orNull(model.limits().tpm(), Long.class))
                .bind("capabilities", model.capabilities().stream().map(Enum::name).toArray(String[]::new))
                .bind("enabled", model.enabled())
                .bind("free", model.free())
                .bind("status", model.status().name())
                .bind("externalId", Binds.text(model.externalId()))
                .bind("lastSyncedAt", Binds.orNull(model.lastSyncedAt(), java.time.OffsetDateTime.class))
                .map(ModelRepository::map)
                .one();
    }

    static Model map(Readable row) {
        return mapRow(row, true);
    }

    private static Model mapRow(Readable row, boolean withTimes) {
        return new Model(
                Rows.uuid(row, "id"),
                Rows.text(row, "name"),
                Rows.uuid(row, "company_id"),
                Rows.bool(row, "company_manual"),
                Rows.text(row, "description"),
                Rows.text(row, "mode"),
                CatalogRows.pricing(row),
                CatalogRows.limits(row),
                CatalogRows.capabilities(row),
                Rows.bool(row, "enabled"),
                Rows.bool(row, "free"),
                RecordStatus.valueOf(Rows.text(row, "status")),
                Rows.text(row, "external_id"),
                withTimes ? Rows.time(row, "created_at") : null,
                withTimes ? Rows.time(row, "updated_at") : null,
                withTimes ? Rows.time(row, "last_synced_at") : null);
    }
}
