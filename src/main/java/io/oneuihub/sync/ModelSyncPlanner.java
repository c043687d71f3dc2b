package io.oneuihub.sync;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import io.oneuihub.catalog.CompanyChoice;
import io.oneuihub.litellm.LiteLlmDeployment;
import io.oneuihub.sync.CatalogWriter.CatalogState;
import io.oneuihub.sync.CatalogWriter.StoredDeployment;
import io.oneuihub.sync.CatalogWriter.StoredModel;
import io.oneuihub.sync.SyncChange.Entity;
import io.oneuihub.sync.SyncChange.FieldChange;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns LiteLLM's deployments and the stored catalog into a {@link Plan}. Pure: no I/O, deterministic for
 * the same inputs (groups in name order, deployments in id order).
 *
 * <p>Model-level values come from the model's deployments: mode = the most common one (ties: alphabetical),
 * prices = the lowest, token limits = the largest, rpm/tpm = the sum (the group's capacity), capabilities = the
 * union, externalId = the smallest deployment id, company = the company of the most deployments (ties: the
 * maker's own provider before hosting platforms, then alphabetical).
 */
final class ModelSyncPlanner {


    private final JsonMapper json;

    ModelSyncPlanner(JsonMapper json) {
        this.json = json;
    }

    Plan plan(List<LiteLlmDeployment> upstream, CatalogState state) {
        Plan plan = new Plan().statements(CatalogWriter.ORDER);

        Map<String, LiteLlmDeployment> byId = new LinkedHashMap<>();
        // Rows LiteLLM still has but we could not read: counted as failed, and left as they are (not STALE).
        Set<String> skippedIds = new java.util.HashSet<>();
        Set<String> skippedModelNames = new java.util.HashSet<>();
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

        Map<String, StoredModel> modelsByName = new HashMap<>();
        state.models().forEach(m -> modelsByName.put(m.name(), m));
        Map<String, StoredDeployment> deploymentsById = new HashMap<>();
        state.deployments().forEach(d -> deploymentsById.put(d.externalId(), d));

        for (Map.Entry<String, List<LiteLlmDeployment>> group : groups.entrySet()) {
            String name = group.getKey();
            List<LiteLlmDeployment> deployments = group.getValue();
            StoredModel stored = modelsByName.get(name);
            UUID derivedCompany = derivedCompany(deployments, companyOf);
            UUID modelId = stored == null ? UUID.randomUUID() : stored.id();
            Map<String, Object> desired = desiredModel(deployments,
                    stored != null && stored.companyManual() ? stored.owned().get("companyId") : derivedCompany);
            if (stored == null) {
                plan.created(Entity.MODEL, name, desired);
                plan.write(CatalogWriter.MODEL_INSERT, row(modelId, name, desired));
            } else if (plan.compare(Entity.MODEL, name, stored.owned(), desired, false)) {
                plan.write(CatalogWriter.MODEL_UPDATE, row(modelId, name, desired));
            }
            for (LiteLlmDeployment d : deployments) {
                Map<String, Object> desiredDeployment = desiredDeployment(d, modelId);
                StoredDeployment existing = deploymentsById.get(d.id());
                if (existing == null) {
                    plan.created(Entity.DEPLOYMENT, d.id(), desiredDeployment);
                    plan.write(CatalogWriter.DEPLOYMENT_INSERT, deploymentRow(UUID.randomUUID(), d, desiredDeployment));
                } else if (plan.compare(Entity.DEPLOYMENT, d.id(), existing.owned(), desiredDeployment, false)) {
                    plan.write(CatalogWriter.DEPLOYMENT_UPDATE, deploymentRow(existing.id(), d, desiredDeployment));
                }
            }
        }

        for (StoredModel m : state.models()) {
            if (!groups.containsKey(m.name()) && !skippedModelNames.contains(m.name())) {
                Map<String, Object> stale = new LinkedHashMap<>(m.owned());
                stale.put("status", "STALE");
                if (plan.compare(Entity.MODEL, m.name(), m.owned(), stale, true)) {
                    plan.write(CatalogWriter.MODEL_STALE, Map.of("id", m.id()));
                }
            }
        }
        for (StoredDeployment d : state.deployments()) {
            if (!byId.containsKey(d.externalId()) && !skippedIds.contains(d.externalId())) {
                Map<String, Object> stale = new LinkedHashMap<>(d.owned());
                stale.put("status", "STALE");
                if (plan.compare(Entity.DEPLOYMENT, d.externalId(), d.owned(), stale, true)) {
                    plan.write(CatalogWriter.DEPLOYMENT_STALE, Map.of("id", d.id()));
                }
            }
        }
        return plan;
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
                plan.write(CatalogWriter.COMPANY_INSERT, Map.of("id", id, "slug", company.slug(), "name", company.name()));
            } else if (createdNow.containsKey(company.slug())) {
                createdNow.get(company.slug()).add(key);
            } else {
                plan.updated(Entity.COMPANY, company.slug(), List.of(new FieldChange("providers", null, List.of(key))));
            }
            plan.write(CatalogWriter.PROVIDER_INSERT, Map.of("provider", key, "companyId", id));
            providers.put(key, id);
            return id;
        };
    }

    private static UUID derivedCompany(List<LiteLlmDeployment> deployments, Function<String, UUID> companyOf) {
        return CompanyChoice.choose(deployments.stream().map(LiteLlmDeployment::provider).toList(), companyOf);
    }

    private static Map<String, Object> desiredModel(List<LiteLlmDeployment> deployments, Object companyId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("companyId", companyId);
        Map<String, Integer> modes = new TreeMap<>();
        deployments.stream().map(LiteLlmDeployment::mode).filter(Objects::nonNull).forEach(mode -> modes.merge(mode, 1, Integer::sum));
        String mode = null;
        int best = 0;
        for (Map.Entry<String, Integer> e : modes.entrySet()) {
            if (e.getValue() > best) {
                mode = e.getKey();
                best = e.getValue();
            }
        }
        m.put("mode", mode);
        m.put("inputCostPerToken", Values.decimal(deployments.stream().map(LiteLlmDeployment::inputCostPerToken)
                .filter(Objects::nonNull).min(BigDecimal::compareTo).orElse(null), Values.PRICE_SCALE));
        m.put("outputCostPerToken", Values.decimal(deployments.stream().map(LiteLlmDeployment::outputCostPerToken)
                .filter(Objects::nonNull).min(BigDecimal::compareTo).orElse(null), Values.PRICE_SCALE));
        m.put("maxTokens", deployments.stream().map(LiteLlmDeployment::maxTokens).filter(Objects::nonNull).max(Integer::compare).orElse(null));
        m.put("maxInputTokens", deployments.stream().map(LiteLlmDeployment::maxInputTokens).filter(Objects::nonNull).max(Integer::compare).orElse(null));
        m.put("maxOutputTokens", deployments.stream().map(LiteLlmDeployment::maxOutputTokens).filter(Objects::nonNull).max(Integer::compare).orElse(null));
        m.put("rpm", deployments.stream().map(LiteLlmDeployment::rpm).filter(Objects::nonNull).reduce(Long::sum).orElse(null));
        m.put("tpm", deployments.stream().map(LiteLlmDeployment::tpm).filter(Objects::nonNull).reduce(Long::sum).orElse(null));
        Set<String> capabilities = new TreeSet<>();
        deployments.forEach(d -> d.capabilities().forEach(c -> capabilities.add(c.name())));
        m.put("capabilities", List.copyOf(capabilities));
        m.put("externalId", deployments.get(0).id());
        m.put("status", "ACTIVE");
        return m;
    }

    private Map<String, Object> desiredDeployment(LiteLlmDeployment d, UUID modelId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelId", modelId);
        m.put("litellmModel", d.litellmModel());
        m.put("provider", d.provider());
        m.put("mode", d.mode());
        m.put("inputCostPerToken", Values.decimal(d.inputCostPerToken(), Values.PRICE_SCALE));
        m.put("outputCostPerToken", Values.decimal(d.outputCostPerToken(), Values.PRICE_SCALE));
        m.put("maxTokens", d.maxTokens());
        m.put("maxInputTokens", d.maxInputTokens());
        m.put("maxOutputTokens", d.maxOutputTokens());
        m.put("rpm", d.rpm());
        m.put("tpm", d.tpm());
        m.put("capabilities", d.capabilities().stream().map(Enum::name).sorted().toList());
        m.put("editable", d.editable());
        m.put("params", Values.canonicalValue(json, d.params()));
        m.put("status", "ACTIVE");
        return m;
    }

    private static Map<String, Object> row(UUID id, String name, Map<String, Object> desired) {
        Map<String, Object> row = new LinkedHashMap<>(desired);
        row.put("id", id);
        row.put("name", name);
        return row;
    }

    private static Map<String, Object> deploymentRow(UUID id, LiteLlmDeployment d, Map<String, Object> desired) {
        Map<String, Object> row = new LinkedHashMap<>(desired);
        row.put("id", id);
        row.put("externalId", d.id());
        row.put("params", d.params()); // as LiteLLM showed them; compared in canonical form
        return row;
    }
}
