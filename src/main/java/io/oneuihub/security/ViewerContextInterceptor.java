package io.oneuihub.security;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Puts the caller ({@link Viewer}) into the GraphQLContext so graphql-java instrumentation can see
 * it. Runs inside {@link WebSocketAuthentication}, so WebSocket operations carry their identity too.
 */
final class ViewerContextInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return Viewer.current().flatMap(viewer -> {
            request.configureExecutionInput((input, builder) -> {
                input.getGraphQLContext().put(Viewer.class, viewer);
                return input;
            });
            return chain.next(request);
        });
    }
}
