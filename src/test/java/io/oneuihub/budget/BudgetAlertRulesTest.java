package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.oneuihub.budget.BudgetAlertRules.Crossing;
import io.oneuihub.budget.BudgetAlertRules.Memory;
import io.oneuihub.budget.BudgetAlertRules.Observed;
import io.oneuihub.budget.BudgetAlertRules.Outcome;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetAlertRulesTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final Duration GRACE = Duration.ofMinutes(15);
    private static final OffsetDateTime LATER = NOW.plusDays(30);

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    /** max 100, soft 80, resets in 30 days. */
    private static Observed spend(String spend) {
        return new Observed(d(spend), d("100"), d("80"), LATER);
    }

    private static Memory seen(String spend) {
        return new Memory(false, false, d(spend), null);
    }

    private static Outcome evaluate(Observed now, Memory before) {
        return BudgetAlertRules.evaluate(now, before, NOW, GRACE);
    }

    /** Runs the syncs one after another, each remembering what the one before left; answers every alert. */
    private static List<List<Crossing>> syncs(Memory start, Observed... seen) {
        Memory memory = start;
        List<List<Crossing>> all = new java.util.ArrayList<>();
        for (Observed observed : seen) {
            Outcome outcome = evaluate(observed, memory);
            all.add(outcome.alerts());
            memory = outcome.memory();
        }
        return all;
    }

    @Nested
    class Limits {

        @Test
        void eachLimitAlertsOncePerCrossing() {
            assertThat(syncs(seen("10"), spend("79.999999999999"), spend("80"), spend("85"), spend("99"), spend("100"),
                    spend("120"), spend("120")))
                    .containsExactly(List.of(), List.of(Crossing.SOFT_LIMIT_REACHED), List.of(), List.of(),
                            List.of(Crossing.EXHAUSTED), List.of(), List.of());
        }

        @Test
        void raisedLimitsReArmAndAreReportedWhenTheSpendReachesThemAgain() {
            assertThat(syncs(seen("10"), spend("120"), new Observed(d("120"), d("200"), d("150"), LATER),
                    new Observed(d("150"), d("200"), d("150"), LATER), new Observed(d("200"), d("200"), d("150"), LATER)))
                    .containsExactly(List.of(Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED), List.of(),
                            List.of(Crossing.SOFT_LIMIT_REACHED), List.of(Crossing.EXHAUSTED));
        }

        @Test
        void spendThatStaysAtTheLimitSaysNothingMore() {
            Outcome first = evaluate(spend("100"), seen("50"));
            assertThat(first.alerts()).containsExactly(Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED);
            Outcome again = evaluate(spend("100.000000000000"), first.memory());
            assertThat(again.alerts()).isEmpty();
            assertThat(again.memory().sameAs(first.memory())).isTrue();
        }

        @Test
        void aLimitThatIsRemovedReArmsAndAlertsAgainWhenSetBelowTheSpend() {
            Outcome reached = evaluate(spend("90"), seen("10"));
            assertThat(reached.alerts()).containsExactly(Crossing.SOFT_LIMIT_REACHED);
            Outcome noSoft = evaluate(new Observed(d("90"), d("100"), null, LATER), reached.memory());
            assertThat(noSoft.alerts()).isEmpty();
            assertThat(noSoft.memory().softReached()).isFalse();
            assertThat(evaluate(spend("90"), noSoft.memory()).alerts()).containsExactly(Crossing.SOFT_LIMIT_REACHED);
        }

        @Test
        void aLimitLoweredBelowTheSpendIsACrossing() {
            Outcome under = evaluate(spend("50"), seen("40"));
            assertThat(evaluate(new Observed(d("50"), d("50"), d("40"), LATER), under.memory()).alerts())
                    .containsExactly(Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED);
        }

        @Test
        void aZeroMaxBudgetIsExhaustedAtZeroSpend() {
            assertThat(evaluate(new Observed(BigDecimal.ZERO, BigDecimal.ZERO, null, null), Memory.NONE).alerts())
                    .containsExactly(Crossing.EXHAUSTED);
        }

        @Test
        void aBudgetWithoutLimitsNeverAlertsForThem() {
            assertThat(syncs(Memory.NONE, new Observed(d("1000000"), null, null, null), new Observed(d("2000000"), null, null, null)))
                    .containsExactly(List.of(), List.of());
        }
    }

    @Nested
    class FirstSeen {

        @Test
        void anAlreadyExhaustedBudgetAlertsOnceForEachLimitAndNeverForAReset() {
            Outcome first = evaluate(spend("150"), Memory.NONE);
            assertThat(first.alerts()).containsExactly(Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED);
            assertThat(first.memory()).isEqualTo(new Memory(true, true, d("150"), null));
            assertThat(evaluate(spend("150"), first.memory()).alerts()).isEmpty();
        }

        @Test
        void aBudgetBelowItsLimitsIsOnlyRemembered() {
            Outcome first = evaluate(spend("0"), Memory.NONE);
            assertThat(first.alerts()).isEmpty();
            assertThat(first.memory()).isEqualTo(new Memory(false, false, d("0"), null));
        }

        @Test
        void anOverdueResetOfANewBudgetIsTold() {
            Observed late = new Observed(d("5"), d("100"), d("80"), NOW.minusHours(2));
            assertThat(evaluate(late, Memory.NONE).alerts()).containsExactly(Crossing.RESET_OVERDUE);
        }
    }

    @Nested
    class Resets {

        @Test
        void spendThatWentDownIsOneResetAndReArmsBothLimitsFirst() {
            Outcome exhausted = evaluate(spend("120"), seen("10"));
            assertThat(exhausted.alerts()).containsExactly(Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED);
            Outcome reset = evaluate(spend("0"), exhausted.memory());
            assertThat(reset.alerts()).containsExactly(Crossing.RESET);
            assertThat(reset.memory()).isEqualTo(new Memory(false, false, d("0"), null));
            assertThat(evaluate(spend("0"), reset.memory()).alerts()).isEmpty();
        }

        @Test
        void aResetThatLandsAboveTheLimitsAgainReportsThemAgainInTheSameSync() {
            // spent past both limits again between LiteLLM's reset and the sync: the reset, then both crossings
            Outcome exhausted = evaluate(spend("300"), seen("10"));
            assertThat(evaluate(spend("101"), exhausted.memory()).alerts())
                    .containsExactly(Crossing.RESET, Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED);
        }

        @Test
        void evenATinyDropIsAReset() {
            assertThat(evaluate(spend("10.000000000000"), seen("10.000000000001")).alerts()).containsExactly(Crossing.RESET);
        }
    }

    @Nested
    class Overdue {

        private Observed at(String spend, OffsetDateTime resetAt) {
            return new Observed(d(spend), d("100"), d("80"), resetAt);
        }

        @Test
        void aResetAtPastTheGraceWithSpendLeftIsToldOncePerResetAtValue() {
            OffsetDateTime missed = NOW.minusMinutes(16);
            assertThat(syncs(seen("5"), at("5", missed), at("6", missed), at("6", missed)))
                    .containsExactly(List.of(Crossing.RESET_OVERDUE), List.of(), List.of());
            Outcome told = evaluate(at("5", missed), seen("5"));
            assertThat(told.memory().overdueFor()).isEqualTo(missed);
            // the same instant in another offset is the same resetAt
            assertThat(evaluate(at("5", missed.withOffsetSameInstant(ZoneOffset.ofHours(2))), told.memory()).alerts()).isEmpty();
            // another missed reset (LiteLLM moved resetAt on, but not the spend) is told again
            assertThat(evaluate(at("5", NOW.minusMinutes(20)), told.memory()).alerts()).containsExactly(Crossing.RESET_OVERDUE);
        }

        @Test
        void theGraceIsInclusiveAtItsEnd() {
            assertThat(evaluate(at("5", NOW.minus(GRACE)), seen("5")).alerts()).containsExactly(Crossing.RESET_OVERDUE);
            assertThat(evaluate(at("5", NOW.minus(GRACE).plusNanos(1000)), seen("5")).alerts()).isEmpty();
            assertThat(BudgetAlertRules.evaluate(at("5", NOW), seen("5"), NOW, Duration.ZERO).alerts())
                    .containsExactly(Crossing.RESET_OVERDUE);
        }

        @Test
        void noSpendOrNoResetAtIsNeverOverdue() {
            assertThat(evaluate(at("0", NOW.minusDays(3)), seen("0")).alerts()).isEmpty();
            assertThat(evaluate(at("5", null), seen("5")).alerts()).isEmpty();
            assertThat(evaluate(at("5", NOW.plusMinutes(1)), seen("5")).alerts()).isEmpty();
        }

        @Test
        void aSyncThatSeesTheSpendGoDownIsTheResetNotAnOverdueOne() {
            // LiteLLM lowered the spend but left resetAt in the past: the reset is told; the overdue check waits
            OffsetDateTime missed = NOW.minusHours(1);
            Outcome reset = evaluate(at("2", missed), seen("5"));
            assertThat(reset.alerts()).containsExactly(Crossing.RESET);
            assertThat(evaluate(at("2", missed), reset.memory()).alerts()).containsExactly(Crossing.RESET_OVERDUE);
        }

        @Test
        void aResetThatHappensAfterTheOverdueAlertIsToldToo() {
            OffsetDateTime missed = NOW.minusHours(1);
            Outcome overdue = evaluate(at("50", missed), seen("50"));
            assertThat(overdue.alerts()).containsExactly(Crossing.RESET_OVERDUE);
            Outcome reset = evaluate(at("0", LATER), overdue.memory());
            assertThat(reset.alerts()).containsExactly(Crossing.RESET);
        }

        @Test
        void theOverdueAlertComesAfterTheLimitOnes() {
            assertThat(evaluate(at("100", NOW.minusHours(1)), seen("10")).alerts())
                    .containsExactly(Crossing.SOFT_LIMIT_REACHED, Crossing.EXHAUSTED, Crossing.RESET_OVERDUE);
        }
    }

    @Test
    void memoryComparesNumbersByValueAndTimesByInstant() {
        Memory a = new Memory(true, false, d("10.50"), NOW);
        assertThat(a.sameAs(new Memory(true, false, d("10.5"), NOW.withOffsetSameInstant(ZoneOffset.ofHours(-5))))).isTrue();
        assertThat(a.sameAs(new Memory(true, false, d("10.500000000001"), NOW))).isFalse();
        assertThat(a.sameAs(new Memory(true, true, d("10.5"), NOW))).isFalse();
        assertThat(a.sameAs(new Memory(true, false, d("10.5"), null))).isFalse();
        assertThat(Memory.NONE.sameAs(new Memory(false, false, d("0"), null))).isFalse();
    }
}
