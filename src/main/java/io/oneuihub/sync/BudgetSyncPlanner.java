package io.oneuihub.sync;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.oneuihub.budget.BudgetScope;
import io.oneuihub.budget.ModelBudget;
import io.oneuihub.litellm.LiteLlmBudget;
import io.oneuihub.litellm.LiteLlmCustomer;
import io.oneuihub.litellm.LiteLlmTeam;
import io.oneuihub.litellm.LiteLlmUser;
import io.oneuihub.sync.BudgetWriter.StoredBudget;
import io.oneuihub.sync.SyncChange.Entity;
import tools.jackson.databind.json.JsonMapper;

/**
 * LiteLLM's budget rows, customers, users and teams -> hub budgets:
 * a budget row used by a customer becomes one CUSTOMER budget per customer (the row's limits, the customer's
 * spend, keyed by the customer id); a budget row no customer uses is SHARED (keyed by budget id, spend 0);
 * users and teams with a max_budget become USER / TEAM budgets. Pure and deterministic.
 */
final class BudgetSyncPlanner {

    /** Spend accumulates per-token prices: keep 12 decimals, as the budget columns do. */
    private static final int MONEY_SCALE = 12;

    record Upstream(List<LiteLlmBudget> budgets, List<LiteLlmCustomer> customers, List<LiteLlmUser> users,
            List<LiteLlmTeam> teams) {
    }

    private record Limits(BigDecimal maxBudget, BigDecimal softBudget, String duration, OffsetDateTime resetAt, Long tpm,
            Long rpm, Integer parallel, List<ModelBudget> modelBudgets) {
    }

    private final JsonMapper json;
    private final Map<String, List<ModelBudget>> typed = new HashMap<>();

    BudgetSyncPlanner(JsonMapper json) {
        this.json = json;
    }

    Plan plan(Upstream upstream, List<StoredBudget> stored) {
        typed.clear();
        Plan plan = new Plan().statements(BudgetWriter.ORDER);
        Map<String, Map<String, Object>> desired = new TreeMap<>();
        Map<String, LiteLlmBudget> rows = new HashMap<>();
        upstream.budgets().forEach(b -> rows.putIfAbsent(b.id(), b));
        Set<String> usedByCustomers = new HashSet<>();
        // Rows LiteLLM still has but we could not read: counted as failed, and left as they are (not STALE).
        Set<String> skipped = new HashSet<>();

        for (LiteLlmCustomer c : upstream.customers()) {
            if (c.budgetId() == null && c.budget() == null) {
                continue;
            }
            LiteLlmBudget row = c.budgetId() == null ? null : rows.get(c.budgetId());
            if (row == null) {
                row = c.budget();
            }
            if (c.budgetId() != null) {
                usedByCustomers.add(c.budgetId());
            }
            if (row != null && row.id() != null) {
                usedByCustomers.add(row.id());
            }
            if (row == null) {
                plan.failed(Entity.BUDGET, key(BudgetScope.CUSTOMER, c.id()), "budget " + c.budgetId() + " not found in LiteLLM");
                skipped.add(key(BudgetScope.CUSTOMER, c.id()));
                continue;
            }
            put(plan, desired, skipped, BudgetScope.CUSTOMER, c.id(), c.alias() != null ? c.alias() : c.id(), c.spend(), limits(row));
        }
        for (LiteLlmBudget b : upstream.budgets()) {
            if (!usedByCustomers.contains(b.id())) {
                put(plan, desired, skipped, BudgetScope.SHARED, b.id(), b.id(), BigDecimal.ZERO, limits(b));
            }
        }
        for (LiteLlmUser u : upstream.users()) {
            if (u.maxBudget() != null) {
                put(plan, desired, skipped, BudgetScope.USER, u.id(), u.email() != null ? u.email() : u.alias() != null ? u.alias() : u.id(),
                        u.spend(), new Limits(u.maxBudget(), null, u.duration(), u.resetAt(), u.tpmLimit(), u.rpmLimit(),
                                u.maxParallelRequests(), u.modelBudgets()));
            }
        }
        for (LiteLlmTeam t : upstream.teams()) {
            if (t.maxBudget() != null) {
                put(plan, desired, skipped, BudgetScope.TEAM, t.id(), t.alias() != null ? t.alias() : t.id(), t.spend(),
                        new Limits(t.maxBudget(), t.softBudget(), t.duration(), t.resetAt(), t.tpmLimit(), t.rpmLimit(),
                                t.maxParallelRequests(), t.modelBudgets()));
            }
        }

        Map<String, StoredBudget> byKey = new HashMap<>();
        stored.forEach(s -> byKey.put(s.key(), s));
        desired.forEach((key, fields) -> {
            StoredBudget existing = byKey.get(key);
            if (existing == null) {
                plan.created(Entity.BUDGET, key, fields);
                plan.write(BudgetWriter.INSERT, row(UUID.randomUUID(), key, fields));
            } else if (plan.compare(Entity.BUDGET, key, existing.owned(), fields, false)) {
                plan.write(BudgetWriter.UPDATE, row(existing.id(), key, fields));
            }
        });
        for (StoredBudget s : stored) {
            if (!desired.containsKey(s.key()) && !skipped.contains(s.key())) {
                Map<String, Object> stale = new LinkedHashMap<>(s.owned());
                stale.put("status", "STALE");
                if (plan.compare(Entity.BUDGET, s.key(), s.owned(), stale, true)) {
                    plan.write(BudgetWriter.STALE, Map.of("id", s.id()));
                }
            }
        }
        return plan;
    }

    private static Limits limits(LiteLlmBudget b) {
        return new Limits(b.maxBudget(), b.softBudget(), b.duration(), b.resetAt(), b.tpmLimit(), b.rpmLimit(),
                b.maxParallelRequests(), b.modelBudgets());
    }

    private static String key(BudgetScope scope, String externalId) {
        return scope.name() + ":" + externalId;
    }

    private void put(Plan plan, Map<String, Map<String, Object>> desired, Set<String> skipped, BudgetScope scope, String externalId, String name,
            BigDecimal spend, Limits limits) {
        String key = key(scope, externalId);
        if (externalId == null || externalId.isBlank()) {
            plan.failed(Entity.BUDGET, scope.name() + ":(no id)", "no id");
            return;
        }
        if (negative(limits.maxBudget()) || negative(limits.softBudget()) || negative(limits.tpm()) || negative(limits.rpm())
                || negative(limits.parallel())) {
            plan.failed(Entity.BUDGET, key, "negative limit");
            skipped.add(key);
            return;
        }
        if (desired.containsKey(key)) {
            return; // duplicate upstream row: the first one wins
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("maxBudget", Values.decimal(limits.maxBudget(), MONEY_SCALE));
        m.put("softBudget", Values.decimal(limits.softBudget(), MONEY_SCALE));
        m.put("spend", Values.decimal(spend == null ? BigDecimal.ZERO : spend, MONEY_SCALE));
        m.put("duration", Values.duration(limits.duration()));
        m.put("resetAt", Values.time(limits.resetAt()));
        m.put("tpmLimit", limits.tpm());
        m.put("rpmLimit", limits.rpm());
        m.put("maxParallelRequests", limits.parallel());
        m.put("modelBudgets", Values.canonicalValue(json, limits.modelBudgets() == null ? List.of() : limits.modelBudgets()));
        m.put("status", "ACTIVE");
        desired.put(key, m);
        // the row to write keeps the typed per-model budgets (the budget reader maps them back to ModelBudget)
        typed.put(key, limits.modelBudgets() == null ? List.of() : limits.modelBudgets());
    }

    private static boolean negative(Number n) {
        return n != null && (n instanceof BigDecimal d ? d.signum() < 0 : n.longValue() < 0);
    }

    private Map<String, Object> row(UUID id, String key, Map<String, Object> fields) {
        int colon = key.indexOf(':');
        Map<String, Object> row = new LinkedHashMap<>(fields);
        row.put("modelBudgets", typed.get(key));
        row.put("id", id);
        row.put("scope", key.substring(0, colon));
        row.put("externalId", key.substring(colon + 1));
        return row;
    }
}
