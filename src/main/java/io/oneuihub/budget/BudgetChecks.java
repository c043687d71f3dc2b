package io.oneuihub.budget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.oneuihub.graphql.UserError;
import org.springframework.graphql.data.ArgumentValue;

/**
 * The input checks of the budget mutations, made before LiteLLM is called: every failure is collected with the
 * input path at fault. Values come out normalised as they are sent to LiteLLM (durations in LiteLLM's grammar).
 */
final class BudgetChecks {

    /** The largest amount accepted: anything above is a typo, not a budget (LiteLLM stores floats). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    /**
     * DESIGN's grammar: a count and s, m, h, d or w, or 1mo. LiteLLM's parser reads more (e.g. "1hr"), but resets
     * such a budget at the next midnight, and "2mo" crashes /budget/new with an unhandled 500.
     */
    private static final Pattern DURATION = Pattern.compile("^(\\d{1,6})(s|m|h|d|w)$");

    /** The period words of the newest LiteLLM, sent as the units every build understands. */
    private static final java.util.Map<String, String> WORDS = java.util.Map.of("daily", "1d", "weekly", "7d", "monthly", "1mo");

    final List<UserError> errors = new ArrayList<>();

    boolean ok() {
        return errors.isEmpty();
    }

    UUID id(String value, String... path) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.add(UserError.invalid("'" + path[path.length - 1] + "' is not a valid id.", input(path)));
            return null;
        }
    }

    String externalId(String value) {
        if (value == null || value.isBlank()) {
            errors.add(UserError.invalid("externalId cannot be blank.", "input", "externalId"));
            return null;
        }
        if (!value.equals(value.strip())) {
            errors.add(UserError.invalid("externalId has spaces around it; LiteLLM ids are compared exactly.", "input", "externalId"));
            return null;
        }
        if (value.length() > 256) {
            errors.add(UserError.invalid("externalId is longer than 256 characters.", "input", "externalId"));
            return null;
        }
        return value;
    }

    /** The limits a change sets, checked and normalised; absent stays absent. */
    BudgetChange change(ArgumentValue<BigDecimal> maxBudget, ArgumentValue<BigDecimal> softBudget, ArgumentValue<String> duration,
            ArgumentValue<Long> tpmLimit, ArgumentValue<Long> rpmLimit, ArgumentValue<Integer> maxParallelRequests,
            ArgumentValue<List<ModelBudgetInput>> modelBudgets) {
        boolean amountsValid = amount(maxBudget, "maxBudget") & amount(softBudget, "softBudget");
        count(tpmLimit, "tpmLimit");
        count(rpmLimit, "rpmLimit");
        count(maxParallelRequests, "maxParallelRequests");
        ArgumentValue<String> period = duration.isOmitted() ? duration : ArgumentValue.ofNullable(duration(duration.value(), "duration"));
        ArgumentValue<List<ModelBudget>> perModel = modelBudgets.isOmitted() ? ArgumentValue.omitted()
                : ArgumentValue.ofNullable(modelBudgets(modelBudgets.value()));
        if (amountsValid && maxBudget.value() != null && softBudget.value() != null
                && softBudget.value().compareTo(maxBudget.value()) > 0) {
            errors.add(UserError.invalid("softBudget (" + softBudget.value().toPlainString() + ") is above maxBudget ("
                    + maxBudget.value().toPlainString() + ").", "input", "softBudget"));
        }
        return new BudgetChange(maxBudget, softBudget, period, tpmLimit, rpmLimit, maxParallelRequests, perModel);
    }

    /** softBudget against the maxBudget it will sit under: the given one, else the stored one (and vice versa). */
    void softUnderMax(BudgetChange change, BigDecimal storedMax, BigDecimal storedSoft) {
        if (change.maxBudget().isOmitted() == change.softBudget().isOmitted()) {
            return; // both given: checked in change(); neither: nothing new
        }
        BigDecimal max = change.maxBudget().isOmitted() ? storedMax : change.maxBudget().value();
        BigDecimal soft = change.softBudget().isOmitted() ? storedSoft : change.softBudget().value();
        if (max == null || soft == null || soft.compareTo(max) <= 0) {
            return;
        }
        if (change.softBudget().isOmitted()) {
            errors.add(UserError.invalid("maxBudget (" + max.toPlainString() + ") would be below the stored softBudget ("
                    + soft.toPlainString() + ").", "input", "maxBudget"));
        } else {
            errors.add(UserError.invalid("softBudget (" + soft.toPlainString() + ") would be above the stored maxBudget ("
                    + max.toPlainString() + ").", "input", "softBudget"));
        }
    }

    private boolean amount(ArgumentValue<BigDecimal> value, String... path) {
        BigDecimal v = value.value();
        if (v == null) {
            return true;
        }
        if (v.signum() < 0) {
            errors.add(UserError.invalid(path[path.length - 1] + " cannot be negative.", input(path)));
            return false;
        }
        if (v.compareTo(MAX_AMOUNT) > 0) {
            errors.add(UserError.invalid(path[path.length - 1] + " is above 1e9 USD.", input(path)));
            return false;
        }
        return true;
    }

    private void count(ArgumentValue<? extends Number> value, String... path) {
        Number v = value.value();
        if (v != null && v.longValue() < 0) {
            errors.add(UserError.invalid(path[path.length - 1] + " cannot be negative.", input(path)));
        }
    }

    /** A duration as LiteLLM gets it, or null after recording why it is refused. */
    String duration(String value, String... path) {
        if (value == null) {
            return null;
        }
        String word = WORDS.get(value);
        if (word != null) {
            return word;
        }
        if ("1mo".equals(value)) {
            return value;
        }
        Matcher m = DURATION.matcher(value);
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            return Long.parseLong(m.group(1)) + m.group(2);
        }
        String hint = value.toLowerCase(Locale.ROOT).endsWith("mo") ? " LiteLLM handles only 1mo for months." : "";
        errors.add(UserError.invalid("'" + value + "' is not a budget duration: use a count from 1 to 999999 and s, m, h, d or w"
                + " (e.g. 30d), 1mo, or daily, weekly, monthly." + hint, input(path)));
        return null;
    }

    private List<ModelBudget> modelBudgets(List<ModelBudgetInput> given) {
        if (given == null) {
            return null;
        }
        List<ModelBudget> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            ModelBudgetInput m = given.get(i);
            String at = String.valueOf(i);
            if (m.model() == null || m.model().isBlank()) {
                errors.add(UserError.invalid("A per-model budget needs a model name.", "input", "modelBudgets", at, "model"));
            } else if (!seen.add(m.model())) {
                errors.add(UserError.invalid("Model '" + m.model() + "' has more than one per-model budget.",
                        "input", "modelBudgets", at, "model"));
            }
            amount(ArgumentValue.ofNullable(m.maxBudget()), "modelBudgets", at, "maxBudget");
            count(ArgumentValue.ofNullable(m.tpmLimit()), "modelBudgets", at, "tpmLimit");
            count(ArgumentValue.ofNullable(m.rpmLimit()), "modelBudgets", at, "rpmLimit");
            String period = duration(m.duration(), "modelBudgets", at, "duration");
            if (m.maxBudget() == null && m.duration() == null && m.tpmLimit() == null && m.rpmLimit() == null) {
                errors.add(UserError.invalid("A per-model budget needs at least one limit.", "input", "modelBudgets", at));
            }
            out.add(new ModelBudget(m.model(), m.maxBudget(), period, m.tpmLimit(), m.rpmLimit()));
        }
        return out;
    }

    private static String[] input(String... path) {
        String[] full = new String[path.length + 1];
        full[0] = "input";
        System.arraycopy(path, 0, full, 1, path.length);
        return full;
    }
}
