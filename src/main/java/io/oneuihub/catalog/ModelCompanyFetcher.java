package io.oneuihub.catalog;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import graphql.GraphQLContext;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * Model.company: the company a models page joined into its rows (the page's local context, see
 * {@link ModelController#models}), else a load through {@link CatalogLoaders#COMPANY_BY_ID}. It runs once per row
 * and does no work of its own (a map lookup, or queueing a key for the batch loader, which brings its own context
 * and observation), so it is a {@link TrivialDataFetcher}: spring-graphql then skips its per-call context
 * propagation and handler-method invocation, which cost about a seventh of a catalog page's CPU as a @SchemaMapping
 * (issue 12's profile).
 */
final class ModelCompanyFetcher implements TrivialDataFetcher<CompletableFuture<Company>> {

    @Override
    public CompletableFuture<Company> get(DataFetchingEnvironment env) {
        Model model = env.getSource();
        if (model == null || model.companyId() == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (env.getLocalContext() instanceof GraphQLContext local) {
            Map<UUID, Company> joined = local.get(ModelController.JOINED_COMPANIES);
            if (joined != null) {
                return CompletableFuture.completedFuture(joined.get(model.companyId()));
            }
        }
        DataLoader<UUID, Company> byId = env.getDataLoader(CatalogLoaders.COMPANY_BY_ID);
        return byId.load(model.companyId());
    }

    @Configuration(proxyBeanMethods = false)
    static class Wiring {

        @Bean
        RuntimeWiringConfigurer modelCompanyFetcher() {
            return wiring -> wiring.type("Model", type -> type.dataFetcher("company", new ModelCompanyFetcher()));
        }
    }
}
