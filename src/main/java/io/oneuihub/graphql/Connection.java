package io.oneuihub.graphql;

import java.util.List;

/**
 * One page of a Relay connection. {@code totalCount} is null when the caller did not select it,
 * so that the count query only runs when somebody reads it.
 */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo, Integer totalCount) {

    public List<T> nodes() {
        return edges.stream().map(Edge::node).toList();
    }
}
