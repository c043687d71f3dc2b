package io.oneuihub.catalog;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.oneuihub.db.Binds;
import io.oneuihub.db.Rows;
import io.oneuihub.db.WriteOrigin;
import io.oneuihub.litellm.LiteLlmDeployment;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The model mutations' local part: what LiteLLM reported goes through the same writers (and the same
 * {@link ModelDerivation} and {@link CompanyChoice}) as the models sync, as a mutation (rows stamped with
 * local_write_at, deletes as tombstones). The hub-owned columns, which the sync never writes, are set here.
 * Callers run these inside one transaction that begins after LiteLLM accepted the write.
 */
@Component
class ModelMutationStore {

    private static final WriteOrigin MUTATION = WriteOrigin.mutation();

    /**
     * Hub-owned columns to set; an omitted one is left as it is. companyId: a value is chosen by hand, an explicit
     * null hands the model back to its providers' company.
     */
    record HubFields(ArgumentValue<String> description, ArgumentValue<Boolean> enabled, ArgumentValue<Boolean> free,
            ArgumentValue<UUID> companyId) {

        static final HubFields NONE = new HubFields(ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted(),
                ArgumentValue.omitted());

        boolean isEmpty() {
            return description.isOmitted() && enabled.isOmitted() && free.isOmitted() && companyId.isOmitted();
        }

        UUID chosenCompany() {
            return companyId.isOmitted() ? null : companyId.value();
        }
    }

    private final DatabaseClient db;
    private final ModelWriter models;
    private final DeploymentWriter deployments;
    private final CompanyWriter companies;

    ModelMutationStore(DatabaseClient db, ModelWriter models, DeploymentWriter deployments, CompanyWriter companies) {
        this.db = db;
        this.models = models;
        this.deployments = deployments;
        this.companies = companies;
    }

    // ------------------------------------------------------------------ reads

    Mono<ModelWriter.Stored> model(UUID id) {
        return models.find(id);
    }

    Mono<DeploymentWriter.Stored> deployment(UUID id) {
        return deployments.find(id);
    }

    /** The model's live deployments by external id. */
    Mono<List<DeploymentWriter.Stored>> deploymentsOf(UUID modelId) {
        return deployments.ofModel(modelId).collectList();
    }

    Mono<Boolean> companyExists(UUID id) {
        return db.sql("SELECT count(*) AS n FROM company WHERE id = :id").bind("id", id)
                .map(row -> row.get("n", Long.class) > 0).one();
    }

    /** Reads and locks the live model until the transaction ends. */
    Mono<ModelWriter.Stored> lock(UUID modelId) {
        return models.lock(modelId);
    }

    // ------------------------------------------------------------------ writes (inside the caller's transaction)

    /**
     * Stores a deployment LiteLLM just created under {@code name}: the model of that name gains it, or is created
     * (a tombstone of that name is dropped first). Answers the model's and the deployment's ids.
     */
    Mono<Map.Entry<UUID, UUID>> storeCreated(String name, LiteLlmDeployment reported, HubFields hub) {
        return models.findByName(name)
                .flatMap(found -> models.lock(found.row().id()))
                .switchIfEmpty(Mono.defer(() -> insertModel(name, reported)))
                .flatMap(model -> {
                    UUID modelId = model.row().id();
                    Mono<UUID> stored = deployments.findByExternalId(reported.id())
                            // a retried create LiteLLM had applied, already stored (or stored by a sync meanwhile)
                            .flatMap(existing -> deployments.update(List.of(DeploymentRow.of(reported, existing.row().id(), modelId)),
                                    MUTATION).thenReturn(existing.row().id()))
                            .switchIfEmpty(Mono.defer(() -> {
                                UUID id = UUID.randomUUID();
                                return dropDeploymentTombstone(reported.id())
                                        .then(deployments.insert(List.of(DeploymentRow.of(reported, id, modelId)), MUTATION))
                                        .flatMap(written -> written.contains(id) ? Mono.just(id)
                                                : Mono.error(new IllegalStateException("deployment " + reported.id() + " was not inserted")));
                            }));
                    return stored.flatMap(deploymentId -> rederive(modelId, model.row().name())
                            .then(setHubFields(modelId, hub))
                            .thenReturn(Map.entry(modelId, deploymentId)));
                });
    }

    private Mono<ModelWriter.Stored> insertModel(String name, LiteLlmDeployment reported) {
        UUID id = UUID.randomUUID();
        return models.dropTombstone(name)
                .then(companyOf(List.of(reported.provider())))
                .map(company -> ModelDerivation.derive(id, name, company.orElse(null), List.of(DeploymentRow.of(reported, id, id))))
                .flatMap(row -> models.insert(List.of(row), MUTATION))
                // a sync or another instance inserted the name meanwhile: join that model
                .then(models.findByName(name))
                .flatMap(found -> models.lock(found.row().id()));
    }

    /** Stores what LiteLLM reports for deployments a mutation changed, and re-derives their model. */
    Mono<Void> storeReported(UUID modelId, String modelName, Collection<DeploymentWriter.Stored> changed,
            Map<String, LiteLlmDeployment> reported) {
        List<DeploymentRow> rows = changed.stream()
                .filter(d -> reported.containsKey(d.row().externalId()))
                .map(d -> DeploymentRow.of(reported.get(d.row().externalId()), d.row().id(), modelId))
                .toList();
        return deployments.update(rows, MUTATION).then(rederive(modelId, modelName));
    }

    /** Tombstones deployments LiteLLM no longer has and re-derives their model from the rest. */
    Mono<Void> storeRemoved(UUID modelId, String modelName, Collection<UUID> deploymentIds) {
        return deployments.markDeleted(deploymentIds).then(rederive(modelId, modelName));
    }

    /** Tombstones the model and its deployments. */
    Mono<Void> storeDeleted(UUID modelId) {
        return models.markDeleted(List.of(modelId)).then();
    }

    /**
     * The model's LiteLLM-owned columns from its ACTIVE deployments, as the sync derives them; its company too,
     * unless an admin chose it. A model without ACTIVE deployments is left as it is (the sync would not derive it).
     */
    Mono<Void> rederive(UUID modelId, String name) {
        return deployments.ofModel(modelId)
                .filter(d -> d.row().status() == RecordStatus.ACTIVE)
                .map(DeploymentWriter.Stored::row)
                .collectList()
                .flatMap(group -> group.isEmpty() ? Mono.empty()
                        : companyOf(group.stream().map(DeploymentRow::provider).toList())
                                .map(company -> ModelDerivation.derive(modelId, name, company.orElse(null), group)))
                .flatMap(row -> models.update(List.of(row), MUTATION))
                .then();
    }

    /**
     * The company the sync would give a model with deployments of these providers. A provider key no company maps
     * yet gets the company the sync would create for it ({@link CompanyChoice#discovered}), so the next sync finds
     * nothing to add. Empty when no provider leads to a company.
     */
    private Mono<Optional<UUID>> companyOf(List<String> providers) {
        Set<String> keys = providers.stream().map(CompanyChoice::providerKey).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return providerMapping().flatMap(mapping -> {
            List<String> unmapped = keys.stream().filter(key -> !mapping.containsKey(key)).toList();
            return unmapped.isEmpty() ? Mono.just(mapping) : discover(unmapped).then(providerMapping());
        }).map(mapping -> Optional.ofNullable(CompanyChoice.choose(providers, provider -> mapping.get(CompanyChoice.providerKey(provider)))));
    }

    private Mono<Map<String, UUID>> providerMapping() {
        return db.sql("SELECT provider, company_id FROM company_provider")
                .map(row -> Map.entry(Rows.text(row, "provider"), Rows.uuid(row, "company_id")))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
    }

    /** Maps new provider keys as the sync does: to the company of the default slug, created when missing. */
    private Mono<Void> discover(List<String> keys) {
        return companies.lockProviderKeys()
                .then(db.sql("SELECT slug, id FROM company").map(row -> Map.entry(Rows.text(row, "slug"), Rows.uuid(row, "id")))
                        .all().collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new))
                .flatMap(slugs -> {
                    List<CompanyWriter.CompanyRow> created = new ArrayList<>();
                    List<CompanyWriter.ProviderRow> mapped = new ArrayList<>();
                    for (String key : keys) {
                        CompanyChoice.Discovered company = CompanyChoice.discovered(key);
                        UUID id = slugs.get(company.slug());
                        if (id == null) {
                            id = UUID.randomUUID();
                            slugs.put(company.slug(), id);
                            created.add(new CompanyWriter.CompanyRow(id, company.slug(), company.name()));
                        }
                        mapped.add(new CompanyWriter.ProviderRow(key, id));
                    }
                    return companies.insertDiscovered(created).then(companies.mapProviders(mapped)).then();
                });
    }

    /**
     * Sets the given hub-owned columns (and stamps the row). companyId null: company_manual goes back to false and
     * the company is derived again, as the sync would.
     */
    Mono<Void> setHubFields(UUID modelId, HubFields hub) {
        if (hub.isEmpty()) {
            return Mono.empty();
        }
        StringBuilder sql = new StringBuilder("UPDATE model SET updated_at = now(), local_write_at = now()");
        Map<String, Object> binds = new HashMap<>();
        binds.put("id", modelId);
        if (!hub.description().isOmitted()) {
            sql.append(", description = :description");
            binds.put("description", Binds.text(hub.description().value()));
        }
        if (!hub.enabled().isOmitted()) {
            sql.append(", enabled = :enabled");
            binds.put("enabled", hub.enabled().value());
        }
        if (!hub.free().isOmitted()) {
            sql.append(", free = :free");
            binds.put("free", hub.free().value());
        }
        boolean backToProviders = !hub.companyId().isOmitted() && hub.companyId().value() == null;
        if (!hub.companyId().isOmitted()) {
            if (backToProviders) {
                sql.append(", company_manual = false");
            } else {
                sql.append(", company_id = :company, company_manual = true");
                binds.put("company", hub.companyId().value());
            }
        }
        sql.append(" WHERE id = :id AND deleted_at IS NULL");
        Mono<Void> set = db.sql(sql.toString()).bindValues(binds).then();
        return backToProviders ? set.then(models.find(modelId)).flatMap(m -> rederive(modelId, m.row().name())) : set;
    }

    private Mono<Void> dropDeploymentTombstone(String externalId) {
        return db.sql("DELETE FROM deployment WHERE external_id = :id AND deleted_at IS NOT NULL").bind("id", externalId).then();
    }

    static boolean sameVersion(OffsetDateTime stored, OffsetDateTime expected) {
        return stored != null && expected != null && stored.toInstant().equals(expected.toInstant());
    }

    static final Comparator<DeploymentWriter.Stored> BY_EXTERNAL_ID = Comparator.comparing(d -> d.row().externalId());
}
