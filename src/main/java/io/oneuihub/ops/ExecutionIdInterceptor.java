package io.oneuihub.ops;

import graphql.execution.ExecutionId;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Puts the request's execution id (graphql-java's ExecutionInput executionId) into the Reactor context, from where
 * {@link ExecutionIdAccessor} brings it into the MDC of the lines logged for the request. Over HTTP the id is the
 * server's request id; a graphql-ws message id is chosen by the client and only unique on its socket, so it gets
 * the socket's session id in front.
 */
final class ExecutionIdInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (request instanceof WebSocketGraphQlRequest socket && request.getExecutionId() == null) {
            request.executionId(ExecutionId.from(socket.getSessionInfo().getId() + "-" + request.getId()));
        }
        String id = request.getExecutionId() != null ? request.getExecutionId().toString() : request.getId();
        return chain.next(request).contextWrite(Context.of(ExecutionIdAccessor.KEY, id));
    }
}
