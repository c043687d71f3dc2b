package io.oneuihub.graphql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

/**
 * Parsed and validated documents by query text, least recently used first out. Bounded in entries
 * and in the length of a cached query, so a flood of distinct queries cannot grow the heap.
 */
final class BoundedDocumentCache implements PreparsedDocumentProvider {

    private final int maxEntries;
    private final int maxQueryLength;
    private final Map<String, PreparsedDocumentEntry> entries;

    BoundedDocumentCache(int maxEntries, int maxQueryLength) {
        this.maxEntries = maxEntries;
        this.maxQueryLength = maxQueryLength;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
                return size() > BoundedDocumentCache.this.maxEntries;
            }
        };
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        if (maxEntries == 0 || query.length() > maxQueryLength) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        PreparsedDocumentEntry cached;
        synchronized (entries) {
            cached = entries.get(query);
        }
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        // Parsing happens outside the lock; two racing requests may both parse, which is harmless.
        PreparsedDocumentEntry parsed = parseAndValidate.apply(input);
        synchronized (entries) {
            entries.put(query, parsed);
        }
        return CompletableFuture.completedFuture(parsed);
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
