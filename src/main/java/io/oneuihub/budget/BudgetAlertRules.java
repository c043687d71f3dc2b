package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When a budgets sync sends which alert, as a pure function of what the sync sees now and what was remembered from
 * the previous sync that evaluated the budget ({@link Memory}). {@link BudgetAlertStore} applies it, inside the
 * sync's apply transaction, to every live ACTIVE budget after the sync's writes.
 * <p>
 * In this order, per budget:
 * <ol>
 * <li><b>RESET</b> (overdue = false): the spend went down against the remembered one. That is what LiteLLM's reset
 * job does (spend to 0, resetAt moved on); a lower spend for any other reason is a reset all the same. The soft and
 * hard limit alerts re-arm first, so the same sync can report a limit reached again. A budget seen for the first
 * time has nothing to compare with and never gets this one.</li>
 * <li><b>SOFT_LIMIT_REACHED</b>: a softBudget, spend &gt;= softBudget, and not yet sent for this crossing. Re-armed
 * whenever the spend is below softBudget or there is no softBudget (and by a reset).</li>
 * <li><b>EXHAUSTED</b>: the same with maxBudget (LiteLLM refuses requests from there on).</li>
 * <li><b>RESET</b> (overdue = true): resetAt is set and at least {@code grace} before the apply time, the spend is
 * above 0 and did not go down in this sync, and this resetAt value was not alerted yet: LiteLLM missed the reset
 * (its customer budget resets were broken for many releases). Sent once per resetAt value; a reset that does happen
 * later moves resetAt on, and a new one that is missed is told again. The grace covers LiteLLM's reset job, which
 * runs about every ten minutes, and spend that is written in batches.</li>
 * </ol>
 * Then the spend is remembered as observed. A budget seen for the first time is evaluated for 2 to 4 as if
 * nothing had been sent, so a budget that is already exhausted alerts once.
 */
public final class BudgetAlertRules {

    private BudgetAlertRules() {
    }

    /** What the sync sees of a budget after its writes. */
    public record Observed(BigDecimal spend, BigDecimal maxBudget, BigDecimal softBudget, OffsetDateTime resetAt) {

        public Observed {
            Objects.requireNonNull(spend, "spend");
        }
    }

    /**
     * What earlier syncs saw and said.
     *
     * @param observedSpend the spend the last evaluating sync saw; null: the budget was never evaluated
     * @param overdueFor    the resetAt value an overdue RESET was sent for, or null
     */
    public record Memory(boolean softReached, boolean exhausted, BigDecimal observedSpend, OffsetDateTime overdueFor) {

        /** A budget no sync evaluated yet. */
        public static final Memory NONE = new Memory(false, false, null, null);

        /** Equal as remembered: numbers by value (10.50 is 10.5), times by instant. */
        public boolean sameAs(Memory other) {
            return softReached == other.softReached && exhausted == other.exhausted
                    && compare(observedSpend, other.observedSpend) && sameInstant(overdueFor, other.overdueFor);
        }

        private static boolean compare(BigDecimal a, BigDecimal b) {
            return a == null ? b == null : b != null && a.compareTo(b) == 0;
        }
    }

    /** One alert to send: the kind, and for RESET whether it is the overdue one. */
    public record Crossing(BudgetAlertKind kind, boolean overdue) {

        public static final Crossing RESET = new Crossing(BudgetAlertKind.RESET, false);
        public static final Crossing RESET_OVERDUE = new Crossing(BudgetAlertKind.RESET, true);
        public static final Crossing SOFT_LIMIT_REACHED = new Crossing(BudgetAlertKind.SOFT_LIMIT_REACHED, false);
        public static final Crossing EXHAUSTED = new Crossing(BudgetAlertKind.EXHAUSTED, false);
    }

    /** The alerts to send, in order, and what to remember. */
    public record Outcome(List<Crossing> alerts, Memory memory) {

        public Outcome {
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * @param appliedAt the apply transaction's clock
     * @param grace     how long after resetAt a missed reset is overdue (0 or more)
     */
    public static Outcome evaluate(Observed now, Memory before, OffsetDateTime appliedAt, Duration grace) {
        Objects.requireNonNull(before, "before");
        List<Crossing> alerts = new ArrayList<>();
        BigDecimal spend = now.spend();
        boolean wentDown = before.observedSpend() != null && spend.compareTo(before.observedSpend()) < 0;
        boolean softReached = before.softReached();
        boolean exhausted = before.exhausted();
        if (wentDown) {
            alerts.add(Crossing.RESET);
            softReached = false;
            exhausted = false;
        }
        softReached = limit(spend, now.softBudget(), softReached, Crossing.SOFT_LIMIT_REACHED, alerts);
        exhausted = limit(spend, now.maxBudget(), exhausted, Crossing.EXHAUSTED, alerts);
        OffsetDateTime overdueFor = before.overdueFor();
        if (now.resetAt() != null && !now.resetAt().isAfter(appliedAt.minus(grace)) && spend.signum() > 0 && !wentDown
                && !sameInstant(now.resetAt(), overdueFor)) {
            alerts.add(Crossing.RESET_OVERDUE);
            overdueFor = now.resetAt();
        }
        return new Outcome(alerts, new Memory(softReached, exhausted, spend, overdueFor));
    }

    /** Adds the crossing when the spend reached the limit and it was not sent yet; answers whether it is sent now. */
    private static boolean limit(BigDecimal spend, BigDecimal limit, boolean sent, Crossing crossing, List<Crossing> alerts) {
        boolean reached = limit != null && spend.compareTo(limit) >= 0;
        if (reached && !sent) {
            alerts.add(crossing);
        }
        return reached;
    }

    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }
}
