package io.oneuihub.catalog;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import graphql.GraphQLContext;
import graphql.execution.DataFetcherResult;
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

    /** The key of the page's joined companies in the local context of everything under Query.models. */
    static final String JOINED_COMPANIES = "joinedCompanies";

    /**
     * The page's companies come with its rows (a join) when the page selects them, handed to Model.company
     * ({@link ModelCompanyFetcher}) through the local context: it is scoped to this field's subtree, so a company loaded elsewhere in the document never
     * sees a joined one (which lacks the timestamps and providers the page did not select).
     */
    @QueryMapping
    Mono<DataFetcherResult<Connection<Model>>> models(@Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @Argument ModelFilter filter, @Argument ModelOrder orderBy,
            DataFetchingFieldSelectionSet selection) {
        boolean withCompanies = selection.containsAnyOf("nodes/company", "edges/node/company");
        ModelRepository.ModelColumns columns = new ModelRepository.ModelColumns(
                selection.containsAnyOf("nodes/capabilities", "edges/node/capabilities"),
                selection.containsAnyOf(TIMES[0], TIMES[1], TIMES[2]));
        return models.models(filter, orderBy, new PageArguments(first, after, last, before), selection.contains("totalCount"),
                        columns, withCompanies,
                        selection.containsAnyOf("nodes/company/providers", "edges/node/company/providers"))
                .map(page -> DataFetcherResult.<Connection<Model>>newResult()
                        .data(page.models())
                        .localContext(withCompanies
                                ? GraphQLContext.newContext().of(JOINED_COMPANIES, page.companies()).build()
                                : null)
                        .build());
    }

    @QueryMapping
    Mono<Model> model(@Argument String id, @Argument String name) {
        Ids.requireExactlyOne("id", id, "name", name);
        return models.model(Ids.parse("id", id), name);
    }

    @SchemaMapping
    CompletableFuture<List<Deployment>> deployments(Model model, DataFetchingEnvironment env) {
        DataLoader<UUID, List<Deployment>> byModel = env.getDataLoader(CatalogLoaders.DEPLOYMENTS_BY_MODEL_ID);
        return byModel.load(model.id()).thenApply(found -> found == null ? List.of() : found);
    }
}
