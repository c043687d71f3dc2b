package io.oneuihub.security;

import java.util.List;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;
import org.springframework.graphql.execution.ErrorType;

/**
 * Defence in depth behind the service layer's {@code @PreAuthorize}: every mutation and every
 * subscription needs the admin role, whatever resolver a future change adds. Queries are left to
 * the services (the public catalog is readable by anyone).
 */
final class OperationAccessInstrumentation extends SimplePerformantInstrumentation {

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        var context = parameters.getExecutionContext();
        OperationDefinition.Operation operation = context.getOperationDefinition().getOperation();
        if (operation == OperationDefinition.Operation.QUERY) {
            return null;
        }
        Viewer viewer = context.getGraphQLContext().getOrDefault(Viewer.class, Viewer.ANONYMOUS);
        if (viewer.admin()) {
            return null;
        }
        ErrorType type = viewer.authenticated() ? ErrorType.FORBIDDEN : ErrorType.UNAUTHORIZED;
        throw new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
                .errorType(type)
                .message(viewer.authenticated() ? "Forbidden" : "Unauthorized")
                .build()));
    }
}
