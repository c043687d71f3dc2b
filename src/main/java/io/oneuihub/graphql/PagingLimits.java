package io.oneuihub.graphql;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties("hub.graphql")
public record PagingLimits(@DefaultValue("100") int maxPageSize, @DefaultValue("20") int defaultPageSize) {

    public PagingLimits {
        if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("hub.graphql page sizes must satisfy 1 <= default-page-size <= max-page-size");
        }
    }
}
