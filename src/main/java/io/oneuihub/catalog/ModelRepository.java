package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
     * The columns a model is read from, in this order and by position: the fixed ones, then the capabilities and the
     * three timestamps when a statement needs them. The driver parses a timestamptz from its text form and decodes
     * an array element by element, the costliest values of a row, and a catalog page rarely shows either.
     *
     * @param capabilities whether capabilities are read (else they are empty in the model)
     * @param times        whether createdAt, updatedAt and lastSyncedAt are read (else they are null)
     */
    public record ModelColumns(boolean capabilities, boolean times) {

        static final ModelColumns ALL = new ModelColumns(true, true);

        private static final String FIXED = "m.id, m.name, m.company_id, m.company_manual, m.description, m.mode,"
                + " m.input_cost_per_token, m.output_cost_per_token, m.max_tokens, m.max_input_tokens,"
                + " m.max_output_tokens, m.rpm, m.tpm, m.enabled, m.free, m.status, m.external_id";
        private static final int FIXED_COUNT = 17;

        String select() {
            return FIXED + (capabilities ? ", m.capabilities" : "")
                    + (times ? ", m.created_at, m.updated_at, m.last_synced_at" : "");
        }

        /** How many columns {@link #select} lists: whatever follows it starts at this position. */
        int count() {
            return FIXED_COUNT + (capabilities ? 1 : 0) + (times ? 3 : 0);
        }
    }

    private static final String SELECT_ALL = "SELECT " + ModelColumns.ALL.select() + " FROM model m";

    /** The company of each model, in the page's own statement (aliased c_*; see {@link CompanyRepository#mapJoined}). */
    private static final String COMPANY_JOIN = "LEFT JOIN company c ON c.id = m.company_id";

    /** One page of models and, when asked for, their companies by id. */
    public record ModelPage(Connection<Model> models, Map<UUID, Company> companies) {
    }

    /**
     * @param columns       which of a model's optional columns are read (of the page's models; a joined company's
     *                      timestamps go with {@code columns.times()})
     * @param withCompanies whether each model's company is read in the same statement (a join; no batch load)
     * @param withProviders whether those companies need their providers (else empty)
     */
    Mono<ModelPage> page(SqlFilter filter, Ordering ordering, PageRequest page, boolean withTotal, ModelColumns columns,
            boolean withCompanies, boolean withProviders) {
        boolean withTimes = columns.times();
        String select = columns.select()
                + (withCompanies ? ", " + CompanyRepository.joinedColumns(withTimes, withProviders) : "");
        int modelColumns = columns.count();
        return Mono.defer(() -> {
            // filled while the rows are mapped, one after the other, before the page completes
            Map<UUID, Company> companies = withCompanies ? new HashMap<>() : Map.of();
            return pager.page(select, "model m", withCompanies ? COMPANY_JOIN : "", filter.and(LIVE), ordering, page,
                    withTotal, (row, at) -> {
                        Model model = map(row, at, columns);
                        if (withCompanies && model.companyId() != null && !companies.containsKey(model.companyId())) {
                            companies.put(model.companyId(),
                                    CompanyRepository.mapJoined(row, at + modelColumns, withTimes, withProviders));
                        }
                        return model;
                    }).map(connection -> new ModelPage(connection, companies));
        });
    }

    public Mono<Model> findById(UUID id) {
        return db.sql(SELECT_ALL + " WHERE m.id = :id AND " + LIVE).bind("id", id).map(ModelRepository::map).one();
    }

    public Mono<Model> findByName(String name) {
        return db.sql(SELECT_ALL + " WHERE m.name = :name AND " + LIVE).bind("name", name).map(ModelRepository::map).one();
    }

    /** One statement for any number of companies: the batch behind Company.models. */
    Flux<Model> findByCompanyIds(Collection<UUID> companyIds, boolean visibleOnly) {
        return db.sql(SELECT_ALL + " WHERE m.company_id = ANY(:ids) AND " + LIVE
                        + (visibleOnly ? " AND " + VISIBLE : "") + " ORDER BY m.name, m.id")
                .bind("ids", companyIds.toArray(UUID[]::new))
                .map(ModelRepository::map)
                .all();
    }

    public Mono<Model> insert(Model model) {
        return db.sql("""
                        INSERT INTO model AS m (name, company_id, company_manual, description, mode,
                          input_cost_per_token, output_cost_per_token, max_tokens, max_input_tokens, max_output_tokens,
                          rpm, tpm, capabilities, enabled, free, status, external_id, last_synced_at)
                        VALUES (:name, :companyId, :companyManual, :description, :mode,
                          :inputCost, :outputCost, :maxTokens, :maxInputTokens, :maxOutputTokens,
                          :rpm, :tpm, :capabilities, :enabled, :free, :status, :externalId, :lastSyncedAt)
                        RETURNING\s""" + ModelColumns.ALL.select())
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

    /** A model read with {@link ModelColumns#ALL} from the first column on. */
    static Model map(Readable row) {
        return map(row, 0, ModelColumns.ALL);
    }

    /** A model read with {@code columns} from position {@code at} on. */
    static Model map(Readable row, int at, ModelColumns columns) {
        int next = at + ModelColumns.FIXED_COUNT;
        List<ModelCapability> capabilities = columns.capabilities()
                ? ModelWriter.capabilities(row.get(next++, String[].class)) : List.of();
        boolean times = columns.times();
        return new Model(
                Rows.uuid(row, at),
                Rows.text(row, at + 1),
                Rows.uuid(row, at + 2),
                Rows.bool(row, at + 3),
                Rows.text(row, at + 4),
                Rows.text(row, at + 5),
                new ModelPricing(Rows.decimal(row, at + 6), Rows.decimal(row, at + 7)),
                new ModelLimits(Rows.integer(row, at + 8), Rows.integer(row, at + 9), Rows.integer(row, at + 10),
                        Rows.bigint(row, at + 11), Rows.bigint(row, at + 12)),
                capabilities,
                Rows.bool(row, at + 13),
                Rows.bool(row, at + 14),
                RecordStatus.valueOf(Rows.text(row, at + 15)),
                Rows.text(row, at + 16),
                times ? Rows.time(row, next) : null,
                times ? Rows.time(row, next + 1) : null,
                times ? Rows.time(row, next + 2) : null);
    }
}
