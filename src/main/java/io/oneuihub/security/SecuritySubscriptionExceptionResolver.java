package io.oneuihub.security;

import java.util.List;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolver;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A subscription whose stream fails with a security exception (a {@code @PreAuthorize} on a
 * Flux-returning service method denies on subscribe) gets UNAUTHORIZED or FORBIDDEN, as queries
 * do, instead of Spring GraphQL's generic "Subscription error".
 */
@Component
class SecuritySubscriptionExceptionResolver implements SubscriptionExceptionResolver {

    @Override
    public Mono<List<GraphQLError>> resolveException(Throwable exception) {
        if (exception instanceof AuthenticationException) {
            return Mono.just(List.of(error(ErrorType.UNAUTHORIZED)));
        }
        if (exception instanceof AccessDeniedException) {
            return ReactiveSecurityContextHolder.getContext()
                    .map(context -> Viewer.of(context.getAuthentication()).authenticated()
                            ? error(ErrorType.FORBIDDEN) : error(ErrorType.UNAUTHORIZED))
                    .defaultIfEmpty(error(ErrorType.UNAUTHORIZED))
                    .map(List::of);
        }
        return Mono.empty();
    }

    private static GraphQLError error(ErrorType type) {
        return GraphqlErrorBuilder.newError().errorType(type)
                .message(type == ErrorType.FORBIDDEN ? "Forbidden" : "Unauthorized").build();
    }
}
