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
class ModelController {

    /** A page's models' own timestamps, under nodes or edges/node (a company's createdAt matches too: harmless). */
    private static final String[] TIMES = {"**/createdAt", "**/updatedAt", "**/lastSyncedAt"};

    private final ModelService models;

    ModelController(ModelService models) {
        this.models = models;
    }

    @QueryMapping
    Mono<Connection<Model>> models(@Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @Argument ModelFilter filter, @Argument ModelOrder orderBy,
            DataFetchingFieldSelectionSet selection) {
        return models.models(filter, orderBy, new PageArguments(first, after, last, before), selection.contains("totalCount"),
                selection.containsAnyOf(TIMES[0], TIMES[1], TIMES[2]));
    }

    @QueryMapping
    Mono<Model> model(@Argument String id, @Argument String name) {
        Ids.requireExactlyOne("id", id, "name", name);
        return models.model(Ids.parse("id", id), name);
    }

    @SchemaMapping
    CompletableFuture<Company> company(Model model, DataFetchingEnvironment env) {
        if (model.companyId() == null) {
            return CompletableFuture.completedFuture(null);
        }
        DataLoader<UUID, Company> byId = env.getDataLoader(CatalogLoaders.COMPANY_BY_ID);
        return byId.load(model.companyId());
    }

    @SchemaMapping
    CompletableFuture<List<Deployment>> deployments(Model model, DataFetchingEnvironment env) {
        DataLoader<UUID, List<Deployment>> byModel = env.getDataLoader(CatalogLoaders.DEPLOYMENTS_BY_MODEL_ID);
        return byModel.load(model.id()).thenApply(found -> found == null ? List.of() : found);
    }
}
