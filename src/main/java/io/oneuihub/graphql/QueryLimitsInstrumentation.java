package io.oneuihub.graphql;

import java.util.List;
import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import org.springframework.graphql.execution.ErrorType;

/**
 * Depth, complexity and alias limits, reported as BAD_REQUEST errors before anything is fetched.
 * Operations that select nothing but {@code __schema}/{@code __type}/{@code __typename} are exempt
 * from depth and complexity so GraphiQL's introspection query works; graphql-java's good-faith
 * introspection check (on by default) bounds those.
 */
final class QueryLimitsInstrumentation {

    private QueryLimitsInstrumentation() {
    }

    static AbortExecutionException badRequest(String message, Map<String, Object> extensions) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
                .errorType(ErrorType.BAD_REQUEST).message(message).extensions(extensions).build()));
    }

    static boolean introspectionOnly(InstrumentationExecuteOperationParameters parameters) {
        OperationDefinition operation = parameters.getExecutionContext().getOperationDefinition();
        List<Selection> selections = operation.getSelectionSet().getSelections();
        return operation.getOperation() == OperationDefinition.Operation.QUERY && !selections.isEmpty()
                && selections.stream().allMatch(selection -> selection instanceof Field field
                        && field.getName().startsWith("__"));
    }

    static final class Depth extends MaxQueryDepthInstrumentation {

        Depth(int maxDepth) {
            super(maxDepth);
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
            return introspectionOnly(parameters) ? null : super.beginExecuteOperation(parameters, state);
        }

        @Override
        protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
            return badRequest("The query is nested " + depth + " levels deep; the limit is " + maxDepth + ".",
                    Map.of("limit", "maxDepth"));
        }
    }

    static final class Complexity extends MaxQueryComplexityInstrumentation {

        Complexity(int maxComplexity) {
            super(maxComplexity);
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
            return introspectionOnly(parameters) ? null : super.beginExecuteOperation(parameters, state);
        }

        @Override
        protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
            return badRequest("The query selects too much (complexity " + complexity + ", limit " + maxComplexity + ").",
                    Map.of("limit", "maxComplexity"));
        }
    }

    /** Counts aliased fields in the whole document, fragments included. */
    static final class Aliases extends SimplePerformantInstrumentation {

        private final int maxAliases;

        Aliases(int maxAliases) {
            this.maxAliases = maxAliases;
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
            int aliases = countAliases(parameters.getExecutionContext().getDocument());
            if (aliases > maxAliases) {
                throw badRequest("The query uses " + aliases + " aliases; the limit is " + maxAliases + ".",
                        Map.of("limit", "maxAliases"));
            }
            return null;
        }

        static int countAliases(Document document) {
            int[] count = {0};
            new NodeTraverser().preOrder(new NodeVisitorStub() {
                @Override
                public TraversalControl visitField(Field node, TraverserContext<graphql.language.Node> context) {
                    if (node.getAlias() != null) {
                        count[0]++;
                    }
                    return TraversalControl.CONTINUE;
                }

                @Override
                public TraversalControl visitFragmentDefinition(FragmentDefinition node,
                        TraverserContext<graphql.language.Node> context) {
                    return TraversalControl.CONTINUE;
                }
            }, document.getDefinitions());
            return count[0];
        }
    }
}
