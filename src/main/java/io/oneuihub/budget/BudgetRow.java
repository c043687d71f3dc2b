package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.oneuihub.catalog.RecordStatus;
import io.oneuihub.db.Values;
import io.oneuihub.litellm.LiteLlmBudget;
import io.oneuihub.litellm.LiteLlmCustomer;
import io.oneuihub.litellm.LiteLlmTeam;
import io.oneuihub.litellm.LiteLlmUser;

/**
 * The LiteLLM-owned columns of one budget row, as {@link BudgetWriter} stores them (component names are the
 * columns of its recordset). Normalised as stored: money at the column scale (12 decimals), times at
 * microseconds in UTC. The factories are what the hub stores for what LiteLLM reports, for the budgets sync
 * and for the budget mutations' re-read alike.
 *
 * @param externalId             the LiteLLM key: budget_id (SHARED), the customer's user_id, user_id or team_id
 * @param sharedBudgetExternalId a CUSTOMER budget on a SHARED budget: that budget's budget_id (its limits are
 *                               these); null for a customer's own budget row and for every other scope
 */
public record BudgetRow(
        UUID id,
        BudgetScope scope,
        String externalId,
        String name,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        BigDecimal spend,
        String duration,
        OffsetDateTime resetAt,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests,
        List<ModelBudget> modelBudgets,
        RecordStatus status,
        String sharedBudgetExternalId) {

    public BudgetRow {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(status, "status");
        maxBudget = Values.decimal(maxBudget, Values.MONEY_SCALE);
        softBudget = Values.decimal(softBudget, Values.MONEY_SCALE);
        spend = Values.decimal(spend == null ? BigDecimal.ZERO : spend, Values.MONEY_SCALE);
        resetAt = Values.time(resetAt);
        modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
        if (sharedBudgetExternalId != null && scope != BudgetScope.CUSTOMER) {
            throw new IllegalArgumentException("only a CUSTOMER budget uses a SHARED budget: " + scope);
        }
    }

    /** A budget that uses no SHARED budget. */
    public BudgetRow(UUID id, BudgetScope scope, String externalId, String name, BigDecimal maxBudget, BigDecimal softBudget,
            BigDecimal spend, String duration, OffsetDateTime resetAt, Long tpmLimit, Long rpmLimit, Integer maxParallelRequests,
            List<ModelBudget> modelBudgets, RecordStatus status) {
        this(id, scope, externalId, name, maxBudget, softBudget, spend, duration, resetAt, tpmLimit, rpmLimit, maxParallelRequests,
                modelBudgets, status, null);
    }

    /** The sync's key of a budget: scope and external id. */
    public String key() {
        return key(scope, externalId);
    }

    public static String key(BudgetScope scope, String externalId) {
        return scope.name() + ":" + externalId;
    }

    public BudgetRow withId(UUID newId) {
        return new BudgetRow(newId, scope, externalId, name, maxBudget, softBudget, spend, duration, resetAt, tpmLimit,
                rpmLimit, maxParallelRequests, modelBudgets, status, sharedBudgetExternalId);
    }

    /** The LiteLLM-owned part of a stored budget. */
    public static BudgetRow of(Budget b) {
        return new BudgetRow(b.id(), b.scope(), b.externalId(), b.name(), b.maxBudget(), b.softBudget(), b.spend(), b.duration(),
                b.resetAt(), b.tpmLimit(), b.rpmLimit(), b.maxParallelRequests(), b.modelBudgets(), b.status(),
                b.sharedBudgetExternalId());
    }

    /**
     * A LiteLLM budget row that is not one customer's own (used by no customer or by several, or known to the hub
     * as SHARED): its limits, no spend of its own.
     */
    public static BudgetRow shared(UUID id, LiteLlmBudget b) {
        return limits(id, BudgetScope.SHARED, b.id(), b.id(), BigDecimal.ZERO, b);
    }

    /**
     * A customer's budget: the limits of its budget row ({@code limits}: its own or the SHARED one it uses, then
     * named by {@code sharedBudgetExternalId}), its spend.
     */
    public static BudgetRow customer(UUID id, LiteLlmCustomer c, LiteLlmBudget limits, String sharedBudgetExternalId) {
        BudgetRow row = limits(id, BudgetScope.CUSTOMER, c.id(), c.alias() != null ? c.alias() : c.id(), c.spend(), limits);
        return new BudgetRow(row.id, row.scope, row.externalId, row.name, row.maxBudget, row.softBudget, row.spend, row.duration,
                row.resetAt, row.tpmLimit, row.rpmLimit, row.maxParallelRequests, row.modelBudgets, row.status, sharedBudgetExternalId);
    }

    public static BudgetRow user(UUID id, LiteLlmUser u) {
        return new BudgetRow(id, BudgetScope.USER, u.id(), u.email() != null ? u.email() : u.alias() != null ? u.alias() : u.id(),
                u.maxBudget(), null, u.spend(), Values.duration(u.duration()), u.resetAt(), u.tpmLimit(), u.rpmLimit(),
                u.maxParallelRequests(), u.modelBudgets(), RecordStatus.ACTIVE);
    }

    public static BudgetRow team(UUID id, LiteLlmTeam t) {
        return new BudgetRow(id, BudgetScope.TEAM, t.id(), t.alias() != null ? t.alias() : t.id(), t.maxBudget(),
                t.softBudget(), t.spend(), Values.duration(t.duration()), t.resetAt(), t.tpmLimit(), t.rpmLimit(),
                t.maxParallelRequests(), t.modelBudgets(), RecordStatus.ACTIVE);
    }

    private static BudgetRow limits(UUID id, BudgetScope scope, String externalId, String name, BigDecimal spend, LiteLlmBudget b) {
        return new BudgetRow(id, scope, externalId, name, b.maxBudget(), b.softBudget(), spend, Values.duration(b.duration()),
                b.resetAt(), b.tpmLimit(), b.rpmLimit(), b.maxParallelRequests(), b.modelBudgets(), RecordStatus.ACTIVE);
    }

    /** True when a limit is negative: LiteLLM sent something the budget table cannot hold. */
    public boolean negativeLimit() {
        return negative(maxBudget) || negative(softBudget) || negative(tpmLimit) || negative(rpmLimit) || negative(maxParallelRequests);
    }

    private static boolean negative(Number n) {
        return n != null && (n instanceof BigDecimal d ? d.signum() < 0 : n.longValue() < 0);
    }
}
