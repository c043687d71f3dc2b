package io.oneuihub.catalog;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.PageArguments;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.dataloader.DataLoader;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class CompanyController {

    private final CompanyService companies;

    CompanyController(CompanyService companies) {
        this.companies = companies;
    }

    @QueryMapping
    Mono<Connection<Company>> companies(@Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @Argument CompanyFilter filter, @Argument CompanyOrder orderBy,
            DataFetchingFieldSelectionSet selection) {
        return companies.companies(filter, orderBy, new PageArguments(first, after, last, before), selection.contains("totalCount"));
    }

    @QueryMapping
    Mono<Company> company(@Argument String id, @Argument String slug) {
        Ids.requireExactlyOne("id", id, "slug", slug);
        return companies.company(Ids.parse("id", id), slug);
    }

    @SchemaMapping
    CompletableFuture<List<Model>> models(Company company, DataFetchingEnvironment env) {
        DataLoader<UUID, List<Model>> byCompany = env.getDataLoader(CatalogLoaders.MODELS_BY_COMPANY_ID);
        return byCompany.load(company.id()).thenApply(found -> found == null ? List.of() : found);
    }
}
