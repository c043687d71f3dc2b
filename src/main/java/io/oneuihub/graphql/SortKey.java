package io.oneuihub.graphql;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One column of a keyset ordering. The expression must never be NULL (coalesce to a sentinel) so
 * that row-value comparison gives a total order.
 */
public record SortKey(String expression, Type type) {

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern TIMESTAMP_TEXT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?[+-]\\d{2}(:\\d{2}){0,2}");

    public enum Type {
        TEXT(value -> true),
        NUMERIC(value -> value.equals("Infinity") || value.equals("-Infinity") || isDecimal(value)),
        BIGINT(Pattern.compile("-?\\d{1,19}").asMatchPredicate()),
        // PostgreSQL's text form of timestamptz, e.g. 2026-11-26 09:30:00.123456+00, or the sentinels that sort a
        // missing time last (see BudgetOrder)
        TIMESTAMPTZ(value -> value.equals("infinity") || value.equals("-infinity") || TIMESTAMP_TEXT.matcher(value).matches()),
        UUID(Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}").asMatchPredicate());

        private final Predicate<String> accepts;

        Type(Predicate<String> accepts) {
            this.accepts = accepts;
        }

        boolean accepts(String value) {
            return accepts.test(value);
        }

        String sqlType() {
            return name().toLowerCase();
        }

        /**
         * PostgreSQL's text form of a finite numeric: plain digits, never an exponent (which would let a forged
         * cursor ask the server to build a number of 100000 digits). The length leaves room for a budget
         * utilization at 61 decimals (see BudgetOrder), and no more.
         */
        private static boolean isDecimal(String value) {
            return value.length() <= 100 && PLAIN_DECIMAL.matcher(value).matches();
        }
    }

    public static SortKey id(String alias) {
        return new SortKey(alias + ".id", Type.UUID);
    }
}
