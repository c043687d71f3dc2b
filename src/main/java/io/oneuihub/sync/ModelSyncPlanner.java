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
import java.util.TreeMap;
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
import io.oneuihub.sync.SyncChange.Entity;
import io.oneuihub.sync.SyncChange.FieldChange;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns LiteLLM's deployments and the stored catalog into a {@link Plan}. Pure: no I/O, deterministic for
 * the same inputs (groups in name order, deployments in id order).
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

    Plan plan(List<LiteLlmDeployment> upstream, CatalogState state) {
        Plan plan = new Plan().detailed(detailed).statements(ModelSyncStore.ORDER);
        OffsetDateTime since = state.since();

        Map<String, LiteLlmDeployment> byId = new LinkedHashMap<>();
        // Rows LiteLLM still has but we could not read: counted as failed, and left as they are (not STALE).
        Set<String> skippedIds = new HashSet<>();
        Set<String> skippedModelNames = new HashSet<>();
        for (LiteLlmDeployment d : upstream) {
            String problem = problem(d);
            if (problem != null) {
                plan.failed(Entity.DEPLOYMENT, d.id() == null || d.id().isBlank() ? "(no id)" : d.id(), problem);
                if (d.id() != null) {
                    skippedIds.add(d.id());
                }
                if (d.modelName() != null) {
                    skippedModelNames.add(d.modelName());
                }
            } else {
                byId.putIfAbsent(d.id(), d);
            }
        }
        Map<String, List<LiteLlmDeployment>> groups = new TreeMap<>();
        byId.values().stream().sorted(Comparator.comparing(LiteLlmDeployment::id))
                .forEach(d -> groups.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(d));

        Function<String, UUID> companyOf = companyResolver(plan, state);

        Map<String, ModelWriter.Stored> modelsByName = new HashMap<>();
        state.models().forEach(m -> modelsByName.put(m.row().name(), m));
        Map<String, DeploymentWriter.Stored> deploymentsById = new HashMap<>();
        state.deployments().forEach(d -> deploymentsById.put(d.row().externalId(), d));

        for (Map.Entry<String, List<LiteLlmDeployment>> group : groups.entrySet()) {
            String name = group.getKey();
            List<LiteLlmDeployment> deployments = group.getValue();
            if (state.deletedModels().contains(name)) {
                plan.skipped(Entity.MODEL, name, List.of(), Plan.DELETED_LOCALLY);
                deployments.forEach(d -> plan.skipped(Entity.DEPLOYMENT, d.id(), List.of(), Plan.DELETED_LOCALLY));
                continue;
            }
            List<LiteLlmDeployment> live = new ArrayList<>();
            for (LiteLlmDeployment d : deployments) {
                if (state.deletedDeployments().contains(d.id())) {
                    plan.skipped(Entity.DEPLOYMENT, d.id(), List.of(), Plan.DELETED_LOCALLY);
                } else {
                    live.add(d);
                }
            }
            if (live.isEmpty()) {
                plan.skipped(Entity.MODEL, name, List.of(), Plan.DELETED_LOCALLY);
                continue;
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

        for (ModelWriter.Stored m : state.models()) {
            String name = m.row().name();
            if (!groups.containsKey(name) && !skippedModelNames.contains(name)) {
                Map<String, Object> before = fields(m.row());
                Map<String, Object> stale = new LinkedHashMap<>(before);
                stale.put("status", "STALE");
                int change = plan.compare(Entity.MODEL, name, before, stale, true, m.writtenLocallySince(since));
                if (change >= 0) {
                    plan.write(ModelSyncStore.MODEL_STALE, m.row().id(), m.row().id(), change);
                }
            }
        }
        for (DeploymentWriter.Stored d : state.deployments()) {
            String externalId = d.row().externalId();
            if (!byId.containsKey(externalId) && !skippedIds.contains(externalId)) {
                Map<String, Object> before = fields(d.row());
                Map<String, Object> stale = new LinkedHashMap<>(before);
                stale.put("status", "STALE");
                int change = plan.compare(Entity.DEPLOYMENT, externalId, before, stale, true, d.writtenLocallySince(since));
                if (change >= 0) {
                    plan.write(ModelSyncStore.DEPLOYMENT_STALE, d.row().id(), d.row().id(), change);
                }
            }
        }
        return plan;
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
