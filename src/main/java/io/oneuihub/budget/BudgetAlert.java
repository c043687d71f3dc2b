package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * One alert as stored in budget_alert and sent to budgetAlerts subscribers. The figures are the budget's as the
 * sync saw them; {@code BudgetAlert.budget} is read when the alert is delivered.
 * <p>
 * Equal by id only: the alert is the key of the {@code budget} batch loader, and two alerts are the same alert
 * exactly when their ids are.
 *
 * @param seq      the delivery order across all instances (budget_alert.seq)
 * @param overdue  RESET only: resetAt passed and LiteLLM did not reset the spend
 * @param at       clock_timestamp() in the apply transaction of the sync that saw it
 * @param runId    that sync run
 */
public record BudgetAlert(
        UUID id,
        long seq,
        UUID budgetId,
        BudgetAlertKind kind,
        boolean overdue,
        BigDecimal spend,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        OffsetDateTime resetAt,
        OffsetDateTime at,
        UUID runId) {

    public BudgetAlert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(budgetId, "budgetId");
        Objects.requireNonNull(kind, "kind");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BudgetAlert alert && alert.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
