package io.oneuihub.graphql;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Abuse limits for the GraphQL endpoint ({@code hub.graphql.*}; page sizes live in {@link PagingLimits}).
 *
 * @param maxDepth          deepest field nesting of an operation (introspection-only operations are exempt;
 *                          graphql-java's good-faith introspection check guards those)
 * @param maxComplexity     graphql-java complexity (1 per field plus its children) of an operation
 * @param maxAliases        aliased fields in one document
 * @param requestTimeout    how long a query or mutation over HTTP may run before it is cancelled (503)
 * @param maxRequestSize    largest accepted request body (413 beyond it)
 * @param documentCacheSize parsed and validated documents kept (LRU)
 * @param documentCacheMaxQueryLength longer queries are parsed each time and never cached
 * @param introspection     whether {@code __schema}/{@code __type} are answered (GraphiQL needs them)
 */
@ConfigurationProperties("hub.graphql")
public record GraphQlLimits(
        @DefaultValue("12") int maxDepth,
        @DefaultValue("500") int maxComplexity,
        @DefaultValue("30") int maxAliases,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("100KB") DataSize maxRequestSize,
        @DefaultValue("500") int documentCacheSize,
        @DefaultValue("10000") int documentCacheMaxQueryLength,
        @DefaultValue("true") boolean introspection) {

    public GraphQlLimits {
        if (maxDepth < 1 || maxComplexity < 1 || maxAliases < 0 || documentCacheSize < 0
                || requestTimeout.isNegative() || requestTimeout.isZero() || maxRequestSize.toBytes() < 1024) {
            throw new IllegalArgumentException("hub.graphql limits must be positive (max-request-size at least 1KB)");
        }
    }
}
