package io.oneuihub.graphql;

import io.oneuihub.security.SecretRedactor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.web.server.WebFilter;

/** Abuse limits around the GraphQL endpoint; values in {@link GraphQlLimits}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphQlLimits.class)
class GraphQlLimitsConfiguration {

    @Bean
    OperationCheck maxQueryDepth(GraphQlLimits limits) {
        return new OperationCheck(new QueryLimitsInstrumentation.Depth(limits.maxDepth()));
    }

    @Bean
    OperationCheck maxQueryComplexity(GraphQlLimits limits) {
        return new OperationCheck(new QueryLimitsInstrumentation.Complexity(limits.maxComplexity()));
    }

    @Bean
    OperationCheck maxAliases(GraphQlLimits limits) {
        return new OperationCheck(new QueryLimitsInstrumentation.Aliases(limits.maxAliases()));
    }

    @Bean
    GraphQlSourceBuilderCustomizer boundedDocumentCache(GraphQlLimits limits) {
        BoundedDocumentCache cache = new BoundedDocumentCache(limits.documentCacheSize(), limits.documentCacheMaxQueryLength());
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(cache));
    }

    /** Outermost: sees the final response, including errors added by the interceptors inside it. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    WebGraphQlInterceptor errorSanitizingInterceptor(SecretRedactor redactor) {
        return new ErrorSanitizingInterceptor(redactor);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    WebGraphQlInterceptor requestPolicyInterceptor(GraphQlLimits limits) {
        return new RequestPolicyInterceptor(limits);
    }

    /** Before Spring Security's filters: an oversized or malformed body is refused before anything parses it. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter graphQlRequestBodyFilter(GraphQlLimits limits,
            @Value("${spring.graphql.http.path:/graphql}") String graphQlPath) {
        return new RequestBodyFilter(graphQlPath, limits.maxRequestSize().toBytes());
    }

    /** Work a mutation hands off (a sync run) starts once its answer is written; see {@link AfterResponse}. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    WebFilter afterResponseFilter(@Value("${spring.graphql.http.path:/graphql}") String graphQlPath) {
        return new AfterResponseFilter(graphQlPath);
    }
}
