package io.oneuihub.graphql.cache;

import io.oneuihub.security.HubSecurityProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.json.JsonMapper;

/** The catalog response cache and GET /graphql (README "Caching"); settings in {@link CatalogCacheProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogCacheProperties.class)
class CatalogCacheConfiguration {

    @Bean
    CatalogResponseCache catalogResponseCache(CatalogCacheProperties properties) {
        return new CatalogResponseCache(properties.maxBytes().toBytes());
    }

    /** Also the LISTEN channel catalog_version of the instance's one NotificationListener. */
    @Bean
    CatalogVersion catalogVersion(DatabaseClient db, CatalogCacheProperties properties, CatalogResponseCache store) {
        return new CatalogVersion(db, properties.versionTimeout(), store::evictOlderThan);
    }

    /**
     * After Spring Security's chain (WebFluxSecurityConfiguration orders it at -100): the caller is known, and a bad
     * token was already refused.
     */
    @Bean
    @Order(-90)
    WebFilter catalogCacheFilter(CatalogCacheProperties properties, CatalogResponseCache store, CatalogVersion versions,
            JsonMapper json, HubSecurityProperties security, @Value("${spring.graphql.http.path:/graphql}") String graphQlPath) {
        return new CatalogCacheFilter(graphQlPath, properties,
                new CatalogDocuments(properties.documents(), properties.maxQueryLength()), store, versions, json,
                security.publicCatalog());
    }
}
