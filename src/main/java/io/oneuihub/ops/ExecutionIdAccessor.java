package io.oneuihub.ops;

import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * Carries a GraphQL request's execution id between the Reactor context (key {@link #KEY}) and the logging MDC
 * (key {@code executionId}). spring-graphql restores registered accessors around every non-trivial data fetcher
 * and exception resolver, and Reactor does so in {@code handle} and {@code tap}: a line logged there names its
 * request. Registered through {@code META-INF/services}, so every ContextRegistry knows it from the start.
 * Reactor's global automatic propagation stays off: restoring on every operator of every request costs more than
 * these lines are worth.
 */
public final class ExecutionIdAccessor implements ThreadLocalAccessor<String> {

    /** The key in the Reactor context and in spring-graphql's GraphQLContext. */
    public static final String KEY = "io.oneuihub.executionId";
    /** The MDC key: a JSON log line's field, and %X{executionId} in a text pattern. */
    public static final String MDC_KEY = "executionId";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public String getValue() {
        return MDC.get(MDC_KEY);
    }

    @Override
    public void setValue(String value) {
        MDC.put(MDC_KEY, value);
    }

    @Override
    public void setValue() {
        MDC.remove(MDC_KEY);
    }
}
