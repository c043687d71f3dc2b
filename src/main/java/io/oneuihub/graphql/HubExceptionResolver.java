package io.oneuihub.graphql;

import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.schema.DataFetchingEnvironment;
import io.oneuihub.litellm.LiteLlmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolver;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns expected failures into classified GraphQL errors with messages meant for the caller, for
 * queries and mutations as well as for failing subscription streams. Anything not handled here
 * falls through to Spring's INTERNAL_ERROR, which reveals nothing.
 */
@Component
class HubExceptionResolver extends DataFetcherExceptionResolverAdapter implements SubscriptionExceptionResolver {

    private static final Logger log = LoggerFactory.getLogger(HubExceptionResolver.class);

    /** Marks, in a request's GraphQLContext, that its cancellation was logged already. */
    private static final String CANCELLATION_LOGGED = HubExceptionResolver.class.getName() + ".cancellationLogged";

    HubExceptionResolver() {
        // restores the request's MDC (its executionId) around resolving: the lines logged here name their request
        setThreadLocalContextAware(true);
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (isCancellation(ex)) {
            return cancelled(env);
        }
        GraphqlErrorBuilder<?> error = describe(ex, env.getExecutionStepInfo().getPath().toString());
        return error == null ? null : error
                .location(env.getField().getSourceLocation())
                .path(env.getExecutionStepInfo().getPath())
                .build();
    }

    @Override
    public Mono<List<GraphQLError>> resolveException(Throwable ex) {
        GraphqlErrorBuilder<?> error = describe(ex, "a subscription");
        return error == null ? Mono.empty() : Mono.just(List.of(error.build()));
    }

    /**
     * The client went away (closed the connection, or the request timeout cancelled it): graphql-java then fails
     * every field still to be fetched with an AbortExecutionException. Nobody receives the answer, and a client
     * hanging up is no fault of ours: one DEBUG line per request, not an ERROR with a stack trace per field.
     */
    static boolean isCancellation(Throwable ex) {
        // graphql-java's only field-level abort ("Execution has been asked to be cancelled"); ours abort whole
        // operations from instrumentation, before any field runs
        return ex instanceof AbortExecutionException && ex.getMessage() != null && ex.getMessage().contains("cancelled");
    }

    private static GraphQLError cancelled(DataFetchingEnvironment env) {
        java.util.concurrent.atomic.AtomicBoolean logged =
                env.getGraphQlContext().computeIfAbsent(CANCELLATION_LOGGED, key -> new java.util.concurrent.atomic.AtomicBoolean());
        if (logged.compareAndSet(false, true) && log.isDebugEnabled()) {
            log.debug("Request {} was cancelled by its client; fields still to fetch are dropped",
                    env.getExecutionId());
        }
        return GraphqlErrorBuilder.newError(env).message("The request was cancelled.")
                .errorType(ErrorClassification.errorClassification("CANCELLED")).build();
    }

    private static GraphqlErrorBuilder<?> describe(Throwable ex, String where) {
        if (ex instanceof InvalidInputException invalid) {
            return GraphqlErrorBuilder.newError()
                    .errorType(ErrorType.BAD_REQUEST)
                    .message(invalid.getMessage())
                    .extensions(Map.of("field", invalid.field()));
        }
        if (ex instanceof NotFoundException missing) {
            return GraphqlErrorBuilder.newError()
                    .errorType(ErrorType.NOT_FOUND)
                    .message(missing.getMessage())
                    .extensions(Map.of("field", List.of(missing.field())));
        }
        if (ex instanceof DataIntegrityViolationException) {
            // The driver message names constraints and values; keep it in the log, not the response.
            log.info("Constraint violation in {}: {}", where, ex.getMessage());
            return GraphqlErrorBuilder.newError()
                    .errorType(ErrorType.BAD_REQUEST)
                    .message("The change conflicts with existing data or breaks a rule of the catalog.");
        }
        if (ex instanceof LiteLlmException upstream) {
            // The message is already sanitized by the client: no key, no stack trace.
            return GraphqlErrorBuilder.newError()
                    .errorType(UpstreamErrors.classification(upstream))
                    .message(upstream.getMessage())
                    // code: the same name a payload's userErrors would use, for clients that read one field for both
                    .extensions(Map.of("code", UpstreamErrors.code(upstream), "upstreamCategory", upstream.category().name()));
        }
        return null;
    }
}
