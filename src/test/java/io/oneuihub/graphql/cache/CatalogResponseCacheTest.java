package io.oneuihub.graphql.cache;

import io.oneuihub.graphql.cache.CatalogResponseCache.Key;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogResponseCacheTest {

    private static Key key(int i) {
        return new Key("{models(first:" + i + "){nodes{name}}}", "", "{}", "anonymous");
    }

    @Test
    void theStoredWeightStaysUnderTheBound() {
        CatalogResponseCache cache = new CatalogResponseCache(1_000_000);
        byte[] body = new byte[10_000];
        for (int i = 0; i < 1_000; i++) {
            cache.put(key(i), 1, body);
        }
        // 1,000 answers of 10 kB do not fit in 1 MB: most were evicted, and what stays weighs under the bound
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(1_000_000).isGreaterThan(500_000);
        assertThat(cache.size()).isBetween(50L, 100L);
    }

    @Test
    void anEntryIsServedOnlyAtItsVersionOrLaterAndANewerLabelWins() {
        CatalogResponseCache cache = new CatalogResponseCache(1_000_000);
        cache.put(key(1), 5, new byte[] {5});
        assertThat(cache.get(key(1), 5).body()).containsExactly(5);
        // an answer labelled newer than what the request read is newer than every write it can have seen
        assertThat(cache.get(key(1), 4)).isNotNull();
        // a racing, older execution does not overwrite a newer one
        cache.put(key(1), 4, new byte[] {4});
        assertThat(cache.get(key(1), 5).body()).containsExactly(5);
        assertThat(cache.get(key(1), 6)).isNull();
        assertThat(cache.get(key(1), 5)).isNull();
    }

    @Test
    void aNewerVersionEvictsOlderEntries() {
        CatalogResponseCache cache = new CatalogResponseCache(1_000_000);
        cache.put(key(1), 1, new byte[1]);
        cache.put(key(2), 2, new byte[1]);
        cache.evictOlderThan(2);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(key(2), 2)).isNotNull();
    }
}
