package io.oneuihub.graphql.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Executed catalog answers as the JSON bytes that went out, weighed by size, each labelled with the catalog
 * version read before its execution started (so a label is never newer than the data under it).
 */
final class CatalogResponseCache {

    /** What makes two requests the same: compact document, operation ("" for none), canonical variables, role. */
    record Key(String document, String operationName, String variables, String role) {

        int weight() {
            // Java strings of Latin-1 text: about a byte a character, plus the objects around them
            return document.length() + operationName.length() + variables.length() + role.length() + 160;
        }

        /** For ETags: the same on every instance, so CDNs in front of several instances agree. */
        String digest() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (String part : new String[] {document, operationName, variables, role}) {
                    sha.update(part.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
                return HexFormat.of().formatHex(sha.digest(), 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    record Entry(long version, byte[] body) {
    }

    private final Cache<Key, Entry> entries;

    CatalogResponseCache(long maxBytes) {
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Entry entry) -> (int) Math.min(Integer.MAX_VALUE, (long) key.weight() + entry.body().length + 64))
                .build();
    }

    /**
     * The answer for the key if it is at least as new as {@code version} (a version read that started after the
     * request arrived); an older one is dropped.
     */
    Entry get(Key key, long version) {
        Entry entry = entries.getIfPresent(key);
        if (entry == null) {
            return null;
        }
        if (entry.version() < version) {
            entries.asMap().remove(key, entry);
            return null;
        }
        return entry;
    }

    /** Keeps the newer of two racing answers. */
    void put(Key key, long version, byte[] body) {
        entries.asMap().merge(key, new Entry(version, body),
                (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    }

    /** A newer version committed: nothing labelled older can be served again. */
    void evictOlderThan(long version) {
        entries.asMap().values().removeIf(entry -> entry.version() < version);
    }

    long weightedSize() {
        entries.cleanUp();
        return entries.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    void clear() {
        entries.invalidateAll();
    }
}
