package io.oneuihub.graphql;

import java.math.BigDecimal;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One column of a keyset ordering. The expression must never be NULL (coalesce to a sentinel) so
 * that row-value comparison gives a total order.
 */
public record SortKey(String expression, Type type) {

    public enum Type {
        TEXT(value -> true),
        NUMERIC(value -> value.equals("Infinity") || value.equals("-Infinity") || isDecimal(value)),
        BIGINT(Pattern.compile("-?\\d{1,19}").asMatchPredicate()),
        // PostgreSQL's text form of timestamptz, e.g. 2026-11-26 09:30:00.123456+00
        TIMESTAMPTZ(Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?[+-]\\d{2}(:\\d{2}){0,2}").asMatchPredicate()),
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

        private static boolean isDecimal(String value) {
            try {
                new BigDecimal(value);
                return value.length() < 80;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    public static SortKey id(String alias) {
        return new SortKey(alias + ".id", Type.UUID);
    }
}
