package io.oneuihub.graphql;

public enum OrderDirection {
    ASC,
    DESC
}
