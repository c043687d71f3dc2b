package io.oneuihub.graphql;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.validation.ValidationError;

/**
 * Every {@link OperationCheck} as one instrumentation: request-level hooks go to all of them (in their bean order),
 * field-level hooks are the no-ops of {@link SimplePerformantInstrumentation}. Not a bean: the observation
 * instrumentation (io.oneuihub.ops) runs it inside itself, so that graphql-java's chain holds a single entry and
 * hands each field's hooks straight to it.
 */
public final class OperationChecks extends SimplePerformantInstrumentation {

    private final ChainedInstrumentation checks;

    public OperationChecks(List<OperationCheck> checks) {
        this.checks = new ChainedInstrumentation(checks.stream().map(OperationCheck::instrumentation).toList());
    }

    @Override
    public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
        return checks.createStateAsync(parameters);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        return checks.beginExecution(parameters, state);
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
            InstrumentationState state) {
        return checks.beginValidation(parameters, state);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        return checks.beginExecuteOperation(parameters, state);
    }
}
