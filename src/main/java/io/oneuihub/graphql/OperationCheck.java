package io.oneuihub.graphql;

import graphql.execution.instrumentation.Instrumentation;

/**
 * A graphql-java instrumentation that only looks at a request as a whole (state, validation, the operation before it
 * runs: limits, access), never at its fields. Declared as a bean of this type, not as an Instrumentation, so that
 * {@link OperationChecks} runs them all inside the one instrumentation: graphql-java chains every Instrumentation bean through
 * a ChainedInstrumentation that calls each of them for every field of every request, whether it looks at fields or
 * not (issue 12: the chain was a fifth of the CPU of a catalog page).
 */
public record OperationCheck(Instrumentation instrumentation) {
}
