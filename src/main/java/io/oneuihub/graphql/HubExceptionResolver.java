package io.oneuihub.graphql;

import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.oneuihub.litellm.LiteLlmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

/**
 * Turns expected failures into classified GraphQL errors with messages meant for the caller.
 * Anything not handled here falls through to Spring's INTERNAL_ERROR, which reveals nothing.
 */
@Component
class HubExceptionResolver extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(HubExceptionResolver.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (ex instanceof InvalidInputException invalid) {
            return GraphqlErrorBuilder.newError(env)
                    .errorType(ErrorType.BAD_REQUEST)
                    .message(invalid.getMessage())
                    .extensions(Map.of("field", invalid.field()))
                    .build();
        }
        if (ex instanceof DataIntegrityViolationException) {
            // The driver message names constraints and values; keep it in the log, not the response.
            log.info("Constraint violation in {}: {}", env.getExecutionStepInfo().getPath(), ex.getMessage());
            return GraphqlErrorBuilder.newError(env)
                    .errorType(ErrorType.BAD_REQUEST)
                    .message("The change conflicts with existing data or breaks a rule of the catalog.")
                    .build();
        }
        if (ex instanceof LiteLlmException upstream) {
            // The message is already sanitized by the client: no key, no stack trace.
            return GraphqlErrorBuilder.newError(env)
                    .errorType(UpstreamErrors.classification(upstream))
                    .message(upstream.getMessage())
                    .extensions(Map.of("upstreamCategory", upstream.category().name()))
                    .build();
        }
        return null;
    }
}
