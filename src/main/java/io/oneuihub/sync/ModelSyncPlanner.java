package io.oneuihub.sync;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.oneuihub.catalog.CompanyChoice;
import io.oneuihub.catalog.CompanyWriter.CompanyRow;
import io.oneuihub.catalog.CompanyWriter.ProviderRow;
import io.oneuihub.catalog.DeploymentRow;
import io.oneuihub.catalog.DeploymentWriter;
import io.oneuihub.catalog.ModelDerivation;
import io.oneuihub.catalog.ModelRow;
import io.oneuihub.catalog.ModelWriter;
import io.oneuihub.litellm.LiteLlmDeployment;
import io.oneuihub.sync.ModelSyncStore.CatalogState;
import io.oneuihub.sync.ModelSyncStore.LocalWrites;
import io.oneuihub.sync.Plan.Statement;
import io.oneuihub.sync.SyncChange.Entity;
import io.oneuihub.sync.SyncChange.FieldChange;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns LiteLLM's deployments and the stored catalog into a {@link Plan}. Pure: no I/O, deterministic for
 * the same inputs (models in the listing's order, which is name order when planned at once; deployments in id
 * order).
 *
 * <p>Model-level values come from the model's deployments through {@link ModelDerivation} (the function the
 * model mutations use too); the company is the company of the most deployments (ties: the maker's own provider
 * before hosting platforms, then alphabetical; {@link CompanyChoice}).
 *
 * <p>Rows an admin wrote after the run started (local_write_at at or after the run's start) are not planned:
 * their differences are reported as SKIPPED. Rows an admin deleted since then stay deleted, even when the
 * LiteLLM read (older than the delete) still shows them.
 */
final class ModelSyncPlanner {


    private static final Set<String> MODEL_IDENTITY = Set.of("id", "name");
    private static final Set<String> DEPLOYMENT_IDENTITY = Set.of("id", "externalId");

    private final JsonMapper json;
    private final int detailed;

    /** @param detailed how many changes keep their field values (a run stores that many; the rest count only) */
    ModelSyncPlanner(JsonMapper json, int detailed) {
        this.json = json;
        this.detailed = detailed;
    }

    /**
     * Plans the whole listing at once: the deployments that cannot be read first, in listing order, then the models
     * in name order (of an id listed twice, the first readable one counts, as when planned page by page).
     */
    Plan plan(List<LiteLlmDeployment> upstream, CatalogState state, LocalWrites localWrites) {
        List<LiteLlmDeployment> failed = new ArrayList<>();
        Map<String, LiteLlmDeployment> readable = new LinkedHashMap<>();
        for (LiteLlmDeployment d : upstream) {
            if (problem(d) != null) {
                failed.add(d);
            } else {
                readable.putIfAbsent(d.id(), d);
            }
        }
        List<LiteLlmDeployment> ordered = new ArrayList<>(failed);
        readable.values().stream().sorted(Comparator.comparing(LiteLlmDeployment::modelName)).forEach(ordered::add);
        Session session = session(state);
        session.accept(ordered);
        return session.finish(localWrites);
    }

    /** Plans a listing as it is read, page by page. */
    Session session(CatalogState state) {
        return new Session(state);
    }

    /**
     * Plans a listing in the order it is read. A model is planned as soon as its deployments are complete, which
     * is when a deployment of another model follows them: the sync asks LiteLLM for its listing sorted by model
     * name, so each model's deployments come one after another, and the model's rows can be written while later
     * pages are still being read. A listing whose models are not contiguous (a proxy that ignores the sort) is
     * detected: {@link #accept} answers false, and that session's plan must not be used.
     */
    final class Session {

        private final OffsetDateTime since;
        private final Plan plan = new Plan().detailed(detailed).statements(ModelSyncStore.ORDER);
        private final Function<String, UUID> companyOf;
        // the stored catalog, as read at the run's start and, at finish, with what admins wrote since
        private final Map<String, ModelWriter.Stored> modelsByName = new LinkedHashMap<>();
        private final Map<String, DeploymentWriter.Stored> deploymentsById = new LinkedHashMap<>();
        private final Set<String> deletedModels;
        private final Set<String> deletedDeployments;
        /** Models whose plan waits for finish: they have stored rows that admins may write while the listing is read. */
        private final List<Map.Entry<String, List<LiteLlmDeployment>>> deferred = new ArrayList<>();
        /** Ids of the valid deployments read so far (the first one of an id counts). */
        private final Set<String> read = new HashSet<>();
        // Rows LiteLLM still has but we could not read: counted as failed, and left as they are (not STALE).
        private final Set<String> skippedIds = new HashSet<>();
        private final Set<String> skippedModelNames = new HashSet<>();
        private final Set<String> planned = new HashSet<>();
        private String openName;
        private List<LiteLlmDeployment> open = new ArrayList<>();
        private boolean contiguous = true;

        private Session(CatalogState state) {
            this.since = state.since();
            this.companyOf = companyResolver(plan, state);
            state.models().forEach(m -> modelsByName.put(m.row().name(), m));
            state.deployments().forEach(d -> deploymentsById.put(d.row().externalId(), d));
            this.deletedModels = new HashSet<>(state.deletedModels());
            this.deletedDeployments = new HashSet<>(state.deletedDeployments());
        }

        /**
         * Takes the next deployments of the listing and plans the models they complete. Answers false once a model
         * turned out not to be contiguous (its name came back after another model's): the plan is then incomplete.
         */
        boolean accept(List<LiteLlmDeployment> deployments) {
            for (LiteLlmDeployment d : deployments) {
                if (!contiguous) {
                    return false;
                }
                String problem = problem(d);
                if (problem != null) {
                    plan.failed(Entity.DEPLOYMENT, d.id() == null || d.id().isBlank() ? "(no id)" : d.id(), problem);
                    if (d.id() != null) {
                        skippedIds.add(d.id());
                    }
                    if (d.modelName() != null) {
                        skippedModelNames.add(d.modelName());
                    }
                } else if (read.add(d.id())) {
                    if (d.modelName().equals(openName)) {
                        open.add(d);
                    } else if (planned.contains(d.modelName())) {
                        contiguous = false;
                    } else {
                        closeOpen();
                        openName = d.modelName();
                        open.add(d);
                    }
                }
            }
            return contiguous;
        }

        /**
         * Plans, with what admins wrote since the run started, the models that have stored rows, the last model, and
         * what LiteLLM no longer has (STALE); answers the whole plan.
         */
        Plan finish(LocalWrites localWrites) {
            if (!contiguous) {
                throw new IllegalStateException("the listing's models were not contiguous; plan it at once instead");
            }
            localWrites.models().forEach(m -> modelsByName.put(m.row().name(), m));
            localWrites.deployments().forEach(d -> deploymentsById.put(d.row().externalId(), d));
            localWrites.deletedModels().forEach(name -> {
                modelsByName.remove(name);
                deletedModels.add(name);
            });
            localWrites.deletedDeployments().forEach(id -> {
                deploymentsById.remove(id);
                deletedDeployments.add(id);
            });
            closeOpen();
            deferred.forEach(model -> planModel(model.getKey(), model.getValue()));
            for (ModelWriter.Stored m : modelsByName.values()) {
                String name = m.row().name();
                if (!planned.contains(name) && !skippedModelNames.contains(name)) {
                    stale(Entity.MODEL, name, fields(m.row()), m.writtenLocallySince(since), ModelSyncStore.MODEL_STALE, m.row().id());
                }
            }
            for (DeploymentWriter.Stored d : deploymentsById.values()) {
                String externalId = d.row().externalId();
                if (!read.contains(externalId) && !skippedIds.contains(externalId)) {
                    stale(Entity.DEPLOYMENT, externalId, fields(d.row()), d.writtenLocallySince(since), ModelSyncStore.DEPLOYMENT_STALE,
                            d.row().id());
                }
            }
            return plan;
        }

        /** A stored row LiteLLM no longer lists: STALE, unless an admin wrote it since the run started (SKIPPED). */
        private void stale(Entity entity, String key, Map<String, Object> before, boolean writtenLocally, Statement<UUID> statement,
                UUID id) {
            Map<String, Object> stale = new LinkedHashMap<>(before);
            stale.put("status", "STALE");
            int change = plan.compare(entity, key, before, stale, true, writtenLocally);
            if (change >= 0) {
                plan.write(statement, id, id, change);
            }
        }

        /** The plan so far: its rows of the models planned up to now can be written while the listing is read on. */
        Plan plan() {
            return plan;
        }

        private void closeOpen() {
            if (openName != null) {
                planned.add(openName);
                open.sort(Comparator.comparing(LiteLlmDeployment::id));
                if (onlyNewRows(openName, open)) {
                    planModel(openName, open);
                } else {
                    deferred.add(Map.entry(openName, open));
                }
                openName = null;
                open = new ArrayList<>();
            }
        }

        /** A model none of whose rows is stored or deleted: its plan (creates only) cannot depend on what admins write. */
        private boolean onlyNewRows(String name, List<LiteLlmDeployment> deployments) {
            if (modelsByName.containsKey(name) || deletedModels.contains(name)) {
                return false;
            }
            for (LiteLlmDeployment d : deployments) {
                if (deploymentsById.containsKey(d.id()) || deletedDeployments.contains(d.id())) {
                    return false;
                }
            }
            return true;
        }

        private void planModel(String name, List<LiteLlmDeployment> deployments) {
            if (deletedModels.contains(name)) {
                plan.skipped(Entity.MODEL, name, List.of(), Plan.DELETED_LOCALLY);
                deployments.forEach(d -> plan.skipped(Entity.DEPLOYMENT, d.id(), List.of(), Plan.DELETED_LOCALLY));
                return;
            }
            List<LiteLlmDeployment> live = new ArrayList<>();
            for (LiteLlmDeployment d : deployments) {
                if (deletedDeployments.contains(d.id())) {
                    plan.skipped(Entity.DEPLOYMENT, d.id(), List.of(), Plan.DELETED_LOCALLY);
                } else {
                    live.add(d);
                }
            }
            if (live.isEmpty()) {
                plan.skipped(Entity.MODEL, name, List.of(), Plan.DELETED_LOCALLY);
                return;
            }
            ModelWriter.Stored stored = modelsByName.get(name);
            UUID derivedCompany = CompanyChoice.choose(live.stream().map(LiteLlmDeployment::provider).toList(), companyOf);
            UUID modelId = stored == null ? UUID.randomUUID() : stored.row().id();
            List<DeploymentRow> rows = new ArrayList<>();
            List<DeploymentWriter.Stored> existing = new ArrayList<>();
            for (LiteLlmDeployment d : live) {
                DeploymentWriter.Stored found = deploymentsById.get(d.id());
                existing.add(found);
                rows.add(DeploymentRow.of(d, found == null ? UUID.randomUUID() : found.row().id(), modelId));
            }
            ModelRow desired = ModelDerivation.derive(modelId, name,
                    stored != null && stored.companyManual() ? stored.row().companyId() : derivedCompany, rows);
            if (stored == null) {
                plan.write(ModelSyncStore.MODEL_INSERT, desired, modelId, plan.created(Entity.MODEL, name, () -> fields(desired)));
            } else if (stored.row().equals(desired)) {
                // equal records hold equal values, so their field maps would compare equal too: skip building them
                plan.unchanged();
            } else {
                int change = plan.compare(Entity.MODEL, name, fields(stored.row()), fields(desired), false,
                        stored.writtenLocallySince(since));
                if (change >= 0) {
                    plan.write(ModelSyncStore.MODEL_UPDATE, desired, modelId, change);
                }
            }
            for (int i = 0; i < rows.size(); i++) {
                DeploymentRow row = rows.get(i);
                DeploymentWriter.Stored found = existing.get(i);
                if (found == null) {
                    plan.write(ModelSyncStore.DEPLOYMENT_INSERT, row, row.id(), plan.created(Entity.DEPLOYMENT, row.externalId(), () -> fields(row)));
                } else if (found.row().equals(row)) {
                    plan.unchanged();
                } else {
                    int change = plan.compare(Entity.DEPLOYMENT, row.externalId(), fields(found.row()), fields(row), false,
                            found.writtenLocallySince(since));
                    if (change >= 0) {
                        plan.write(ModelSyncStore.DEPLOYMENT_UPDATE, row, row.id(), change);
                    }
                }
            }
        }
    }

    private Map<String, Object> fields(ModelRow row) {
        return ChangeFields.of(row, MODEL_IDENTITY, json);
    }

    private Map<String, Object> fields(DeploymentRow row) {
        return ChangeFields.of(row, DEPLOYMENT_IDENTITY, json);
    }

    private static String problem(LiteLlmDeployment d) {
        if (d.id() == null || d.id().isBlank()) {
            return "deployment without model_info.id";
        }
        if (d.modelName() == null || d.modelName().isBlank()) {
            return "deployment without model_name";
        }
        if (d.litellmModel() == null || d.litellmModel().isBlank()) {
            return "deployment without litellm_params.model";
        }
        if (negative(d.inputCostPerToken()) || negative(d.outputCostPerToken())) {
            return "negative price";
        }
        if (negative(d.maxTokens()) || negative(d.maxInputTokens()) || negative(d.maxOutputTokens())
                || negative(d.rpm()) || negative(d.tpm())) {
            return "negative token or rate limit";
        }
        return null;
    }

    private static boolean negative(Number n) {
        return n != null && (n instanceof BigDecimal d ? d.signum() < 0 : n.longValue() < 0);
    }

    /** Maps provider keys to companies, planning the company (and the mapping) when the key is new. */
    private static Function<String, UUID> companyResolver(Plan plan, CatalogState state) {
        Map<String, UUID> providers = new HashMap<>(state.providers());
        Map<String, UUID> slugs = new HashMap<>(state.companiesBySlug());
        Map<String, List<String>> createdNow = new HashMap<>();
        return provider -> {
            String key = CompanyChoice.providerKey(provider);
            if (key == null) {
                return null;
            }
            UUID known = providers.get(key);
            if (known != null) {
                return known;
            }
            CompanyChoice.Discovered company = CompanyChoice.discovered(key);
            UUID id = slugs.get(company.slug());
            if (id == null) {
                id = UUID.randomUUID();
                slugs.put(company.slug(), id);
                List<String> keys = new ArrayList<>(List.of(key));
                createdNow.put(company.slug(), keys);
                Map<String, Object> created = new LinkedHashMap<>();
                created.put("slug", company.slug());
                created.put("name", company.name());
                created.put("providers", keys); // later keys of the same new company join this list
                plan.created(Entity.COMPANY, company.slug(), created);
                plan.write(ModelSyncStore.COMPANY_INSERT, new CompanyRow(id, company.slug(), company.name()));
            } else if (createdNow.containsKey(company.slug())) {
                createdNow.get(company.slug()).add(key);
            } else {
                plan.updated(Entity.COMPANY, company.slug(), List.of(new FieldChange("providers", null, List.of(key))));
            }
            plan.write(ModelSyncStore.PROVIDER_INSERT, new ProviderRow(key, id));
            providers.put(key, id);
            return id;
        };
    }
}
