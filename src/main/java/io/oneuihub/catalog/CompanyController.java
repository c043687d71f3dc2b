package io.oneuihub.catalog;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import graphql.schema.DataFetchingFieldSelectionSet;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.PageArguments;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class CompanyController {

    private final CompanyService companies;
    private final ModelService models;

    CompanyController(CompanyService companies, ModelService models) {
        this.companies = companies;
        this.models = models;
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

    @BatchMapping
    Mono<Map<Company, List<Model>>> models(List<Company> page) {
        return models.modelsOfCompanies(page.stream().map(Company::id).toList())
                .map(byCompany -> page.stream().collect(Collectors.toMap(company -> company,
                        company -> byCompany.getOrDefault(company.id(), List.of()), (a, b) -> a)));
    }
}
