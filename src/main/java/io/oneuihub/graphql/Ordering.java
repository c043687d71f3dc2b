package io.oneuihub.graphql;

import java.util.List;

/**
 * A named keyset ordering. All keys run in one direction and the last key is unique (the id),
 * so a cursor pins one row exactly and pages stay stable under inserts.
 */
public record Ordering(String name, List<SortKey> keys, boolean descending) {
}
