package io.oneuihub.budget;

import java.math.BigDecimal;
import java.util.List;

import io.oneuihub.graphql.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.graphql.data.ArgumentValue;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget inputs refused before LiteLLM is called, and how accepted values are sent. */
class BudgetChecksTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"30d, 30d", "1s, 1s", "15m, 15m", "24h, 24h", "1w, 1w", "1mo, 1mo", "007d, 7d",
            "daily, 1d", "weekly, 7d", "monthly, 1mo", "999999d, 999999d"})
    void acceptedDurationsAreSentInLiteLlmsGrammar(String given, String sent) {
        BudgetChecks check = new BudgetChecks();
        assertThat(check.duration(given, "duration")).isEqualTo(sent);
        assertThat(check.errors).isEmpty();
    }

    /** 2mo: LiteLLM's /budget/new crashes (plain-text 500); 1hr and 30D are read differently for resets; 0d never ends. */
    @ParameterizedTest
    @ValueSource(strings = {"2mo", "12mo", "1hr", "30D", "1y", "0d", "d", "30", " 30d", "30 d", "1000000d", "Daily", "hourly", ""})
    void otherDurationsAreInvalidInput(String given) {
        BudgetChecks check = new BudgetChecks();
        assertThat(check.duration(given, "modelBudgets", "0", "duration")).isNull();
        assertThat(check.errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(UserError.INVALID_INPUT);
            assertThat(e.field()).containsExactly("input", "modelBudgets", "0", "duration");
        });
    }

    @Test
    void amountsAreBetweenZeroAndOneBillionAndSoftStaysUnderMax() {
        BudgetChecks check = new BudgetChecks();
        check.change(value(new BigDecimal("-0.01")), value(new BigDecimal("1000000000.01")), ArgumentValue.omitted(),
                ArgumentValue.ofNullable(-1L), ArgumentValue.omitted(), ArgumentValue.ofNullable(-2), ArgumentValue.ofNullable(List.of(
                        new ModelBudgetInput("gpt-4o", new BigDecimal("-5"), "2mo", null, -3L),
                        new ModelBudgetInput("gpt-4o", BigDecimal.ONE, null, null, null),
                        new ModelBudgetInput(" ", null, null, null, null))));
        assertThat(check.errors).extracting(UserError::field).containsExactly(
                List.of("input", "maxBudget"), List.of("input", "softBudget"), List.of("input", "tpmLimit"),
                List.of("input", "maxParallelRequests"), List.of("input", "modelBudgets", "0", "maxBudget"),
                List.of("input", "modelBudgets", "0", "rpmLimit"), List.of("input", "modelBudgets", "0", "duration"),
                List.of("input", "modelBudgets", "1", "model"), List.of("input", "modelBudgets", "2", "model"),
                List.of("input", "modelBudgets", "2"));

        BudgetChecks soft = new BudgetChecks();
        soft.change(value(new BigDecimal("10")), value(new BigDecimal("10.5")), ArgumentValue.omitted(), ArgumentValue.omitted(),
                ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted());
        assertThat(soft.errors).extracting(UserError::field).containsExactly(List.of("input", "softBudget"));

        BudgetChecks exact = new BudgetChecks();
        exact.change(value(new BigDecimal("1e9")), value(new BigDecimal("1e9")), ArgumentValue.omitted(), ArgumentValue.omitted(),
                ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted());
        assertThat(exact.errors).isEmpty();
    }

    @Test
    void onUpdateTheGivenLimitIsCheckedAgainstTheStoredOne() {
        BudgetChange lowerMax = new BudgetChecks().change(value(new BigDecimal("50")), ArgumentValue.omitted(), ArgumentValue.omitted(),
                ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted());
        BudgetChecks check = new BudgetChecks();
        check.softUnderMax(lowerMax, new BigDecimal("100"), new BigDecimal("80"));
        assertThat(check.errors).extracting(UserError::field).containsExactly(List.of("input", "maxBudget"));

        BudgetChange raiseSoft = new BudgetChecks().change(ArgumentValue.omitted(), value(new BigDecimal("120")), ArgumentValue.omitted(),
                ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted());
        check = new BudgetChecks();
        check.softUnderMax(raiseSoft, new BigDecimal("100"), new BigDecimal("80"));
        assertThat(check.errors).extracting(UserError::field).containsExactly(List.of("input", "softBudget"));

        // clearing the hard limit leaves nothing to be above
        BudgetChange clearMax = new BudgetChecks().change(ArgumentValue.ofNullable(null), ArgumentValue.omitted(), ArgumentValue.omitted(),
                ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted());
        check = new BudgetChecks();
        check.softUnderMax(clearMax, new BigDecimal("100"), new BigDecimal("80"));
        assertThat(check.errors).isEmpty();
    }

    private static ArgumentValue<BigDecimal> value(BigDecimal v) {
        return ArgumentValue.ofNullable(v);
    }
}
