package io.oneuihub.sync;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import io.oneuihub.catalog.CompanyWriter;
import io.oneuihub.catalog.CompanyWriter.CompanyRow;
import io.oneuihub.catalog.CompanyWriter.ProviderRow;
import io.oneuihub.catalog.DeploymentRow;
import io.oneuihub.catalog.DeploymentWriter;
import io.oneuihub.catalog.ModelRow;
import io.oneuihub.catalog.ModelWriter;
import io.oneuihub.db.Rows;
import io.oneuihub.db.WriteOrigin;
import io.oneuihub.db.Written;
import io.oneuihub.sync.Plan.Batch;
import io.oneuihub.sync.Plan.Statement;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The models sync's reads of the stored catalog and the application of its plan, through the catalog's writers
 * (the same ones the model mutations use), as a sync that started at the run's started_at.
 */
@Component
class ModelSyncStore {

    static final Statement<CompanyRow> COMPANY_INSERT = new Statement<>("company.insert", CompanyRow.class);
    static final Statement<ProviderRow> PROVIDER_INSERT = new Statement<>("company_provider.insert", ProviderRow.class);
    static final Statement<ModelRow> MODEL_INSERT = new Statement<>("model.insert", ModelRow.class);
    static final Statement<ModelRow> MODEL_UPDATE = new Statement<>("model.update", ModelRow.class);
    static final Statement<UUID> MODEL_STALE = new Statement<>("model.stale", UUID.class);
    static final Statement<DeploymentRow> DEPLOYMENT_INSERT = new Statement<>("deployment.insert", DeploymentRow.class);
    static final Statement<DeploymentRow> DEPLOYMENT_UPDATE = new Statement<>("deployment.update", DeploymentRow.class);
    static final Statement<UUID> DEPLOYMENT_STALE = new Statement<>("deployment.stale", UUID.class);

    static final Statement<?>[] ORDER = {COMPANY_INSERT, PROVIDER_INSERT, MODEL_INSERT, MODEL_UPDATE, MODEL_STALE,
        DEPLOYMENT_INSERT, DEPLOYMENT_UPDATE, DEPLOYMENT_STALE};

    /**
     * The stored catalog as far as a run that started at {@code since} cares: live rows only, plus what was
     * deleted since the run started (upstream may still show it: the run must not bring it back).
     */
    record CatalogState(Map<String, UUID> providers, Map<String, UUID> companiesBySlug, List<ModelWriter.Stored> models,
            List<DeploymentWriter.Stored> deployments, Set<String> deletedModels, Set<String> deletedDeployments,
            OffsetDateTime since) {
    }

    /**
     * What admins wrote since the run started, read once the listing is complete: the catalog state the run
     * planned from was read at its start, and these rows are the ones that may have changed since (every
     * mutation stamps local_write_at; deletes are tombstones).
     */
    record LocalWrites(List<ModelWriter.Stored> models, List<DeploymentWriter.Stored> deployments, Set<String> deletedModels,
            Set<String> deletedDeployments) {
    }

    private final DatabaseClient db;
    private final CompanyWriter companies;
    private final ModelWriter models;
    private final DeploymentWriter deployments;

    ModelSyncStore(DatabaseClient db, CompanyWriter companies, ModelWriter models, DeploymentWriter deployments) {
        this.db = db;
        this.companies = companies;
        this.models = models;
        this.deployments = deployments;
    }

    /** Before the apply transaction: the statements run side by side, each on a connection of its own. */
    Mono<CatalogState> load(OffsetDateTime since) {
        Mono<Map<String, UUID>> providers = db.sql("SELECT provider, company_id FROM company_provider")
                .map(row -> Map.entry(Rows.text(row, "provider"), Rows.uuid(row, "company_id")))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<Map<String, UUID>> slugs = db.sql("SELECT slug, id FROM company")
                .map(row -> Map.entry(Rows.text(row, "slug"), Rows.uuid(row, "id")))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<Set<String>> deleted = models.deletedSince(since);
        Mono<Set<String>> deletedDeployments = deployments.deletedSince(since);
        return Mono.zip(providers, slugs, models.live(since).collectList(), deployments.live(since).collectList(), deleted,
                        deletedDeployments)
                .map(t -> new CatalogState(t.getT1(), t.getT2(), t.getT3(), t.getT4(), t.getT5(), t.getT6(), since));
    }

    /** {@link LocalWrites} since the run started at {@code since}. */
    Mono<LocalWrites> localWritesSince(OffsetDateTime since) {
        return Mono.zip(models.writtenSince(since).collectList(), deployments.writtenSince(since).collectList(),
                        models.deletedSince(since), deployments.deletedSince(since))
                .map(t -> new LocalWrites(t.getT1(), t.getT2(), t.getT3(), t.getT4()));
    }

    /** The inserts, which can be written while the listing is still read: they lock no row anyone else can see. */
    static boolean isInsert(Statement<?> statement) {
        return statement == COMPANY_INSERT || statement == PROVIDER_INSERT || statement == MODEL_INSERT
                || statement == DEPLOYMENT_INSERT;
    }

    /**
     * Inside the apply transaction, before its first write: purges the tombstones older than the run (see V3), so
     * that a row deleted before the run started and listed again is created anew.
     */
    Mono<Void> purgeTombstones(OffsetDateTime runStartedAt) {
        return deployments.purgeTombstones(runStartedAt).then(models.purgeTombstones(runStartedAt)).then();
    }

    /**
     * First in the apply transaction: no sequential scans for the rest of it. The run may grow the catalog tables
     * from (nearly) empty to thousands of rows, and PostgreSQL keeps the plan it made for a repeated statement, the
     * foreign-key checks' included, from what the tables held when it planned it: a sequential scan of a table that
     * was empty then is one per deployment row later. After the catalog had been deleted and vacuumed, each page's
     * insert took 8 ms more than the page before (330 ms a page by the end of a 10,000-deployment sync); with index
     * lookups every page takes the same 6 ms. Transaction-local (SET LOCAL): nothing else on the connection sees it.
     */
    Mono<Void> planForGrowingTables() {
        return db.sql("SET LOCAL enable_seqscan = off").then();
    }

    /** Marks the point {@link #rollbackEarlyWrites} undoes the writes back to. */
    Mono<Void> markEarlyWrites() {
        return db.sql("SAVEPOINT early_writes").then();
    }

    /** Undoes the writes made since {@link #markEarlyWrites}, keeping the transaction (and the purge) open. */
    Mono<Void> rollbackEarlyWrites() {
        return db.sql("ROLLBACK TO SAVEPOINT early_writes").then();
    }

    /**
     * Runs the {@code chosen} writes the plan holds that are not written yet, in order, batchSize rows per
     * statement, guarded as a sync that started at {@code runStartedAt}. Answers the rows written so far.
     */
    Mono<Integer> apply(Plan plan, Predicate<Statement<?>> chosen, OffsetDateTime runStartedAt, int batchSize,
            IntFunction<Mono<Void>> progress) {
        WriteOrigin origin = WriteOrigin.sync(runStartedAt);
        return plan.apply(chosen, batchSize, batch -> write(batch, origin), progress);
    }

    /**
     * Takes the inserts planned since the last take out of the plan, their statements prepared (rows bound) on the
     * caller's thread, guarded as a sync that started at {@code runStartedAt}; {@link Plan#write} runs them.
     */
    Plan.Pending takeInserts(Plan plan, OffsetDateTime runStartedAt, int batchSize) {
        WriteOrigin origin = WriteOrigin.sync(runStartedAt);
        return plan.take(ModelSyncStore::isInsert, batchSize, batch -> write(batch, origin));
    }

    private Mono<Written> write(Batch batch, WriteOrigin origin) {
        if (batch.is(COMPANY_INSERT)) {
            return companies.insertDiscovered(batch.rows(COMPANY_INSERT));
        }
        if (batch.is(PROVIDER_INSERT)) {
            return companies.mapProviders(batch.rows(PROVIDER_INSERT));
        }
        if (batch.is(MODEL_INSERT)) {
            return models.insert(batch.rows(MODEL_INSERT), origin);
        }
        if (batch.is(MODEL_UPDATE)) {
            return models.update(batch.rows(MODEL_UPDATE), origin);
        }
        if (batch.is(MODEL_STALE)) {
            return models.markStale(batch.rows(MODEL_STALE), origin);
        }
        if (batch.is(DEPLOYMENT_INSERT)) {
            return deployments.insert(batch.rows(DEPLOYMENT_INSERT), origin);
        }
        if (batch.is(DEPLOYMENT_UPDATE)) {
            return deployments.update(batch.rows(DEPLOYMENT_UPDATE), origin);
        }
        if (batch.is(DEPLOYMENT_STALE)) {
            return deployments.markStale(batch.rows(DEPLOYMENT_STALE), origin);
        }
        return Mono.error(new IllegalStateException("no writer for " + batch.statement().name()));
    }
}
