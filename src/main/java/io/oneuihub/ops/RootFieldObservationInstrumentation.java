package io.oneuihub.ops;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;

/**
 * spring-graphql's observations (graphql.request, graphql.datafetcher, graphql.dataloader), with data fetcher
 * observations for root fields only (Query.models, Mutation.syncModels, ...). A nested resolver such as
 * Model.company runs once per row: timing each of them cost more CPU than the rest of the request's execution
 * (issue 12's profile), and their time is inside the root field's and the batch loaders' anyway.
 */
final class RootFieldObservationInstrumentation extends GraphQlObservationInstrumentation {

    RootFieldObservationInstrumentation(ObservationRegistry registry) {
        super(registry);
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        // trivial fetchers first: the parameters build a field's ExecutionStepInfo only when asked for it
        if (parameters.isTrivialDataFetcher() || parameters.getEnvironment().getExecutionStepInfo().getPath().getLevel() > 1) {
            return dataFetcher;
        }
        return super.instrumentDataFetcher(dataFetcher, parameters, state);
    }
}
