package io.oneuihub.graphql;

public record Edge<T>(String cursor, T node) {
}
