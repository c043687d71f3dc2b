package io.oneuihub.graphql;

import java.time.Duration;

import graphql.execution.SubscriptionExecutionStrategy;
import graphql.introspection.Introspection;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Per-request policy: the introspection switch (per request, not JVM-wide as Boot's
 * {@code spring.graphql.schema.introspection.enabled} is) and a timeout on queries and mutations
 * over HTTP. A timed-out request is cancelled (its database queries with it) and answered with 503.
 * Subscriptions are long-lived by design and not timed. Their events go out in the order their source emits
 * them: graphql-java otherwise sends each event as soon as its fields are resolved, so an event whose fields wait for
 * the database (BudgetAlert.budget) could overtake an earlier one.
 */
final class RequestPolicyInterceptor implements WebGraphQlInterceptor {

    private final Duration timeout;
    private final boolean introspection;

    RequestPolicyInterceptor(GraphQlLimits limits) {
        this.timeout = limits.requestTimeout();
        this.introspection = limits.introspection();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        request.configureExecutionInput((input, builder) -> {
            input.getGraphQLContext().put(SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true);
            if (!introspection) {
                input.getGraphQLContext().put(Introspection.INTROSPECTION_DISABLED, true);
            }
            return input;
        });
        Mono<WebGraphQlResponse> response = chain.next(request);
        if (request instanceof WebSocketGraphQlRequest) {
            return response;
        }
        return response.timeout(timeout, Mono.error(() -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                "The request took longer than " + timeout.toMillis() + " ms and was cancelled.")));
    }
}
