package io.oneuihub.catalog;

import io.oneuihub.graphql.OrderDirection;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.SortKey;

import java.util.List;

public record CompanyOrder(Field field, OrderDirection direction) {

    public enum Field {
        NAME,
        CREATED_AT
    }

    static final CompanyOrder DEFAULT = new CompanyOrder(Field.NAME, OrderDirection.ASC);

    Ordering ordering() {
        SortKey key = switch (field) {
            case NAME -> new SortKey("c.name", SortKey.Type.TEXT);
            case CREATED_AT -> new SortKey("c.created_at", SortKey.Type.TIMESTAMPTZ);
        };
        return new Ordering("companies:" + field + ":" + direction, List.of(key, SortKey.id("c")),
                direction == OrderDirection.DESC);
    }
}
