package io.oneuihub.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
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
class ModelController {

    private final ModelService models;
    private final CompanyService companies;
    private final DeploymentService deployments;

    ModelController(ModelService models, CompanyService companies, DeploymentService deployments) {
        this.models = models;
        this.companies = companies;
        this.deployments = deployments;
    }

    @QueryMapping
    Mono<Connection<Model>> models(@Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @Argument ModelFilter filter, @Argument ModelOrder orderBy,
            DataFetchingFieldSelectionSet selection) {
        return models.models(filter, orderBy, new PageArguments(first, after, last, before), selection.contains("totalCount"));
    }

    @QueryMapping
    Mono<Model> model(@Argument String id, @Argument String name) {
        Ids.requireExactlyOne("id", id, "name", name);
        return models.model(Ids.parse("id", id), name);
    }

    @BatchMapping
    Mono<Map<Model, Company>> company(List<Model> page) {
        List<java.util.UUID> ids = page.stream().map(Model::companyId).filter(Objects::nonNull).distinct().toList();
        return companies.companiesById(ids).map(byId -> page.stream()
                .filter(model -> model.companyId() != null && byId.containsKey(model.companyId()))
                .collect(Collectors.toMap(model -> model, model -> byId.get(model.companyId()), (a, b) -> a)));
    }

    @BatchMapping
    Mono<Map<Model, List<Deployment>>> deployments(List<Model> page) {
        return deployments.deploymentsOfModels(page.stream().map(Model::id).toList())
                .map(byModel -> page.stream().collect(Collectors.toMap(model -> model,
                        model -> byModel.getOrDefault(model.id(), List.of()), (a, b) -> a)));
    }
}
