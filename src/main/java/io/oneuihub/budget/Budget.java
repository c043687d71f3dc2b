package io.oneuihub.budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.oneuihub.catalog.RecordStatus;
import io.oneuihub.db.Decimals;

/**
 * A budget as the API shows it.
 *
 * @param sharedBudgetId         a CUSTOMER budget on a SHARED budget: the hub id of that budget (null when the hub
 *                               has none with that budget_id)
 * @param sharedBudgetExternalId the LiteLLM budget_id of that SHARED budget (what LiteLLM links the customer to)
 */
public record Budget(
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
        UUID sharedBudgetId,
        String sharedBudgetExternalId,
        RecordStatus status,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime lastSyncedAt) {

    public Budget(UUID id, BudgetScope scope, String externalId, String name, BigDecimal maxBudget, BigDecimal softBudget,
            BigDecimal spend, String duration, OffsetDateTime resetAt, Long tpmLimit, Long rpmLimit, Integer maxParallelRequests,
            List<ModelBudget> modelBudgets, RecordStatus status, OffsetDateTime createdAt, OffsetDateTime updatedAt,
            OffsetDateTime lastSyncedAt) {
        this(id, scope, externalId, name, maxBudget, softBudget, spend, duration, resetAt, tpmLimit, rpmLimit, maxParallelRequests,
                modelBudgets, null, null, status, createdAt, updatedAt, lastSyncedAt);
    }

    /** What is left to spend; negative once the budget is overspent, null without a hard limit. */
    public BigDecimal remaining() {
        return maxBudget == null ? null : maxBudget.subtract(spend);
    }

    /**
     * spend / maxBudget: exact when the quotient ends (80 / 100 = 0.8), else to 34 significant digits (1 / 3);
     * null without a maxBudget or with 0, where nothing may be spent and no share of it can be told.
     */
    public BigDecimal utilization() {
        if (maxBudget == null || maxBudget.signum() == 0) {
            return null;
        }
        BigDecimal quotient;
        try {
            quotient = spend.divide(maxBudget);
        } catch (ArithmeticException endless) {
            quotient = spend.divide(maxBudget, MathContext.DECIMAL128);
        }
        return Decimals.normalize(quotient);
    }
}
