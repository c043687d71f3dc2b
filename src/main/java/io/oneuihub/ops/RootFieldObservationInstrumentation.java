package io.oneuihub.ops;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.schema.DataFetcher;
import graphql.validation.ValidationError;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;

/**
 * The hub's one graphql-java instrumentation: the request checks (limits, access: {@code OperationChecks}) and
 * spring-graphql's observations (graphql.request, graphql.datafetcher, graphql.dataloader), with data fetcher
 * observations for root fields only (Query.models, Mutation.syncModels, ...).
 * <p>
 * One, not two: spring-graphql chains every Instrumentation bean, and graphql-java's chain of two or more calls each
 * of them and allocates a chained context for every hook of every field, although neither does anything per field
 * (issue 12's profile: the chain 14 % of a catalog page's CPU). A chain of one hands each hook straight to it, and the
 * field hooks here are {@link graphql.execution.instrumentation.SimplePerformantInstrumentation}'s no-ops.
 * A nested resolver such as Model.company runs once per row: timing each of them cost more CPU than the rest of the
 * request's execution, and their time is inside the root field's and the batch loaders' anyway.
 * <p>
 * The checks see every request-level hook before the observation, in the order the two had as a chain.
 */
final class RootFieldObservationInstrumentation extends GraphQlObservationInstrumentation {

    private final Instrumentation checks;

    RootFieldObservationInstrumentation(ObservationRegistry registry, Instrumentation checks) {
        super(registry);
        this.checks = checks;
    }

    /** The checks' state and the observation's, each handed back to its own hooks. */
    private record State(InstrumentationState checks, InstrumentationState observation) implements InstrumentationState {
    }

    private static InstrumentationState checks(InstrumentationState state) {
        return state instanceof State both ? both.checks() : null;
    }

    private static InstrumentationState observation(InstrumentationState state) {
        return state instanceof State both ? both.observation() : null;
    }

    @Override
    public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
        return orNull(checks.createStateAsync(parameters)).thenCombine(orNull(super.createStateAsync(parameters)), State::new);
    }

    private static CompletableFuture<InstrumentationState> orNull(CompletableFuture<InstrumentationState> state) {
        return state == null ? CompletableFuture.completedFuture(null) : state;
    }

    @Override
    public ExecutionInput instrumentExecutionInput(ExecutionInput executionInput, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        ExecutionInput checked = checks.instrumentExecutionInput(executionInput, parameters, checks(state));
        return super.instrumentExecutionInput(checked, parameters, observation(state));
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        InstrumentationContext<ExecutionResult> checked = checks.beginExecution(parameters, checks(state));
        return both(checked, super.beginExecution(parameters, observation(state)));
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
            InstrumentationState state) {
        InstrumentationContext<List<ValidationError>> checked = checks.beginValidation(parameters, checks(state));
        return both(checked, super.beginValidation(parameters, observation(state)));
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        InstrumentationContext<ExecutionResult> checked = checks.beginExecuteOperation(parameters, checks(state));
        return both(checked, super.beginExecuteOperation(parameters, observation(state)));
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        // trivial fetchers first: the parameters build a field's ExecutionStepInfo only when asked for it
        if (parameters.isTrivialDataFetcher() || parameters.getEnvironment().getExecutionStepInfo().getPath().getLevel() > 1) {
            return dataFetcher;
        }
        return super.instrumentDataFetcher(dataFetcher, parameters, observation(state));
    }

    /**
     * Nothing here looks at a field's fetch (beginFieldFetch is SimplePerformantInstrumentation's no-op), so the
     * shared no-op: graphql-java's default would wrap that no-op in a new adapter for every field.
     */
    @Override
    public FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        return FieldFetchingInstrumentationContext.NOOP;
    }

    /** Both contexts, as graphql-java's chain would call them; either alone when the other does nothing. */
    private static <T> InstrumentationContext<T> both(InstrumentationContext<T> first, InstrumentationContext<T> second) {
        if (first == null || first == SimpleInstrumentationContext.<T>noOp()) {
            return second;
        }
        if (second == null || second == SimpleInstrumentationContext.<T>noOp()) {
            return first;
        }
        return new InstrumentationContext<>() {
            @Override
            public void onDispatched() {
                first.onDispatched();
                second.onDispatched();
            }

            @Override
            public void onCompleted(T result, Throwable t) {
                first.onCompleted(result, t);
                second.onCompleted(result, t);
            }
        };
    }
}
