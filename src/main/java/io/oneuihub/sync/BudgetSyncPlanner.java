package io.oneuihub.sync;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.oneuihub.budget.BudgetRow;
import io.oneuihub.budget.BudgetScope;
import io.oneuihub.budget.BudgetWriter;
import io.oneuihub.litellm.LiteLlmBudget;
import io.oneuihub.litellm.LiteLlmCustomer;
import io.oneuihub.litellm.LiteLlmTeam;
import io.oneuihub.litellm.LiteLlmUser;
import io.oneuihub.sync.BudgetSyncStore.BudgetState;
import io.oneuihub.sync.SyncChange.Entity;
import tools.jackson.databind.json.JsonMapper;

/**
 * LiteLLM's budget rows, customers, users and teams -> hub budgets ({@link BudgetRow}'s factories, which the
 * budget mutations use too):
 * every customer with a budget row becomes a CUSTOMER budget (the row's limits, the customer's spend, keyed by
 * the customer id); a budget row that is not one customer's own (used by no customer or by several, or known
 * here as SHARED already) is also a SHARED budget (keyed by budget id, spend 0), and the customers on it name
 * it (sharedBudgetExternalId);
 * users and teams with a max_budget become USER / TEAM budgets. Pure and deterministic. Rows an admin wrote or
 * deleted after the run started are reported as SKIPPED, as in {@link ModelSyncPlanner}.
 */
final class BudgetSyncPlanner {

    private static final Set<String> IDENTITY = Set.of("id", "scope", "externalId");

    record Upstream(List<LiteLlmBudget> budgets, List<LiteLlmCustomer> customers, List<LiteLlmUser> users,
            List<LiteLlmTeam> teams) {
    }

    private final JsonMapper json;

    BudgetSyncPlanner(JsonMapper json) {
        this.json = json;
    }

    Plan plan(Upstream upstream, BudgetState state) {
        Plan plan = new Plan().statements(BudgetSyncStore.ORDER);
        Map<String, BudgetRow> desired = new TreeMap<>();
        Map<String, LiteLlmBudget> rows = new HashMap<>();
        upstream.budgets().forEach(b -> rows.putIfAbsent(b.id(), b));
        // How many customers use each budget row. A row that is not one customer's own is SHARED: used by no
        // customer or by several, or already known here as SHARED (created as one, or listed as one before; it
        // stays SHARED when one customer is left on it, so a mutation and the next sync agree).
        Map<String, Integer> customersOf = new HashMap<>();
        for (LiteLlmCustomer c : upstream.customers()) {
            String id = budgetIdOf(c);
            if (id != null) {
                customersOf.merge(id, 1, Integer::sum);
            }
        }
        Set<String> knownShared = new HashSet<>();
        state.budgets().stream().map(BudgetWriter.Stored::row).filter(r -> r.scope() == BudgetScope.SHARED)
                .forEach(r -> knownShared.add(r.externalId()));
        java.util.function.Predicate<String> shared = id -> knownShared.contains(id) || customersOf.getOrDefault(id, 0) != 1;
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
            if (row == null) {
                plan.failed(Entity.BUDGET, BudgetRow.key(BudgetScope.CUSTOMER, c.id()), "budget " + c.budgetId() + " not found in LiteLLM");
                skipped.add(BudgetRow.key(BudgetScope.CUSTOMER, c.id()));
                continue;
            }
            String id = budgetIdOf(c);
            put(plan, desired, skipped, BudgetRow.customer(null, c, row, id != null && shared.test(id) ? id : null));
        }
        for (LiteLlmBudget b : upstream.budgets()) {
            if (shared.test(b.id())) {
                put(plan, desired, skipped, BudgetRow.shared(null, b));
            }
        }
        for (LiteLlmUser u : upstream.users()) {
            if (u.maxBudget() != null) {
                put(plan, desired, skipped, BudgetRow.user(null, u));
            }
        }
        for (LiteLlmTeam t : upstream.teams()) {
            if (t.maxBudget() != null) {
                put(plan, desired, skipped, BudgetRow.team(null, t));
            }
        }

        Map<String, BudgetWriter.Stored> byKey = new HashMap<>();
        state.budgets().forEach(s -> byKey.put(s.row().key(), s));
        desired.forEach((key, row) -> {
            if (state.deleted().contains(key)) {
                plan.skipped(Entity.BUDGET, key, List.of(), Plan.DELETED_LOCALLY);
                return;
            }
            BudgetWriter.Stored existing = byKey.get(key);
            if (existing == null) {
                BudgetRow created = row.withId(UUID.randomUUID());
                plan.write(BudgetSyncStore.INSERT, created, created.id(), plan.created(Entity.BUDGET, key, fields(created)));
            } else {
                BudgetRow updated = row.withId(existing.row().id());
                int change = plan.compare(Entity.BUDGET, key, fields(existing.row()), fields(updated), false,
                        existing.writtenLocallySince(state.since()));
                if (change >= 0) {
                    plan.write(BudgetSyncStore.UPDATE, updated, updated.id(), change);
                }
            }
        });
        for (BudgetWriter.Stored s : state.budgets()) {
            String key = s.row().key();
            if (!desired.containsKey(key) && !skipped.contains(key)) {
                Map<String, Object> before = fields(s.row());
                Map<String, Object> stale = new LinkedHashMap<>(before);
                stale.put("status", "STALE");
                int change = plan.compare(Entity.BUDGET, key, before, stale, true, s.writtenLocallySince(state.since()));
                if (change >= 0) {
                    plan.write(BudgetSyncStore.STALE, s.row().id(), s.row().id(), change);
                }
            }
        }
        return plan;
    }

    /** The budget row a customer uses: its budget_id, or the id of the embedded row on builds without one. */
    private static String budgetIdOf(LiteLlmCustomer c) {
        return c.budgetId() != null ? c.budgetId() : c.budget() == null ? null : c.budget().id();
    }

    private Map<String, Object> fields(BudgetRow row) {
        return ChangeFields.of(row, IDENTITY, json);
    }

    private static void put(Plan plan, Map<String, BudgetRow> desired, Set<String> skipped, BudgetRow row) {
        if (row.externalId() == null || row.externalId().isBlank()) {
            plan.failed(Entity.BUDGET, row.scope().name() + ":(no id)", "no id");
            return;
        }
        String key = row.key();
        if (row.negativeLimit()) {
            plan.failed(Entity.BUDGET, key, "negative limit");
            skipped.add(key);
            return;
        }
        desired.putIfAbsent(key, row); // duplicate upstream row: the first one wins
    }
}
