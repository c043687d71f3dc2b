package io.oneuihub.graphql.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The catalog response cache ({@code hub.catalog-cache}).
 *
 * @param enabled         false: every request executes, GET still works (without ETags)
 * @param maxBytes        the stored answers' weight (bodies and keys) is kept under this
 * @param documents       how many distinct query texts keep their normalised form and analysis
 * @param maxQueryLength  longer query texts are neither analysed nor cached
 * @param versionTimeout  a catalog version read slower than this fails, and the request executes uncached
 * @param maxAge          max-age of anonymous GET answers; 0 (the default) says no-cache: browsers and CDNs keep the
 *                        answer but revalidate it (304) every time, so they never show an answer older than a write
 */
@ConfigurationProperties("hub.catalog-cache")
public record CatalogCacheProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("64MB") DataSize maxBytes,
        @DefaultValue("1000") int documents,
        @DefaultValue("10000") int maxQueryLength,
        @DefaultValue("2s") Duration versionTimeout,
        @DefaultValue("0s") Duration maxAge) {

    public CatalogCacheProperties {
        if (maxBytes.toBytes() < 0 || documents < 0 || maxQueryLength < 0 || versionTimeout.isNegative()
                || versionTimeout.isZero() || maxAge.isNegative()) {
            throw new IllegalArgumentException("hub.catalog-cache values must not be negative (version-timeout positive)");
        }
    }
}
