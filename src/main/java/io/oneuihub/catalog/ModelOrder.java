package io.oneuihub.catalog;

import java.util.List;

import io.oneuihub.graphql.OrderDirection;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.SortKey;

public record ModelOrder(Field field, OrderDirection direction) {

    public enum Field {
        NAME,
        CREATED_AT,
        INPUT_PRICE,
        OUTPUT_PRICE,
        CONTEXT_WINDOW
    }

    static final ModelOrder DEFAULT = new ModelOrder(Field.NAME, OrderDirection.ASC);

    /** Models without a price or context window sort last in either direction. */
    Ordering ordering() {
        boolean descending = direction == OrderDirection.DESC;
        String missingPrice = descending ? "'-Infinity'::numeric" : "'Infinity'::numeric";
        String missingWindow = descending ? "-1" : "9223372036854775807";
        SortKey key = switch (field) {
            case NAME -> new SortKey("m.name", SortKey.Type.TEXT);
            case CREATED_AT -> new SortKey("m.created_at", SortKey.Type.TIMESTAMPTZ);
            case INPUT_PRICE -> new SortKey("coalesce(m.input_cost_per_token, " + missingPrice + ")", SortKey.Type.NUMERIC);
            case OUTPUT_PRICE -> new SortKey("coalesce(m.output_cost_per_token, " + missingPrice + ")", SortKey.Type.NUMERIC);
            case CONTEXT_WINDOW -> new SortKey(
                    "coalesce(m.max_input_tokens::bigint, m.max_tokens::bigint, " + missingWindow + ")", SortKey.Type.BIGINT);
        };
        return new Ordering("models:" + field + ":" + direction, List.of(key, SortKey.id("m")), descending);
    }
}
