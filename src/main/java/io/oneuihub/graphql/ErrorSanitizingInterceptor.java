package io.oneuihub.graphql;

import java.util.List;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.oneuihub.security.SecretRedactor;
import org.reactivestreams.Publisher;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every error message that leaves the service, over HTTP or WebSocket, in a response or in a
 * subscription event, passes through {@link SecretRedactor}: graphql-java echoes argument
 * literals in validation messages, and an api key typed into an input must not come back.
 */
final class ErrorSanitizingInterceptor implements WebGraphQlInterceptor {

    private final SecretRedactor redactor;

    ErrorSanitizingInterceptor(SecretRedactor redactor) {
        this.redactor = redactor;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(this::sanitize);
    }

    WebGraphQlResponse sanitize(WebGraphQlResponse response) {
        Object data = response.getData();
        if (data instanceof Publisher<?> publisher) {
            @SuppressWarnings("unchecked")
            Flux<ExecutionResult> events = Flux.from((Publisher<ExecutionResult>) publisher)
                    .map(this::sanitize)
                    .onErrorMap(SubscriptionPublisherException.class,
                            ex -> new SubscriptionPublisherException(sanitize(ex.getErrors()), ex.getCause()));
            return response.transform(builder -> builder.data(events));
        }
        List<GraphQLError> original = response.getExecutionResult().getErrors();
        if (original.stream().noneMatch(error -> changes(error.getMessage()))) {
            return response;
        }
        List<GraphQLError> errors = sanitize(original);
        return response.transform(builder -> builder.errors(errors));
    }

    private ExecutionResult sanitize(ExecutionResult result) {
        if (result.getErrors().stream().noneMatch(error -> changes(error.getMessage()))) {
            return result;
        }
        List<GraphQLError> errors = sanitize(result.getErrors());
        return ExecutionResult.newExecutionResult().from(result).errors(errors).build();
    }

    private List<GraphQLError> sanitize(List<GraphQLError> errors) {
        return errors.stream().map(error -> changes(error.getMessage())
                ? GraphqlErrorBuilder.newError().message(redactor.redact(error.getMessage()))
                        .errorType(error.getErrorType()).locations(error.getLocations()).path(error.getPath())
                        .extensions(error.getExtensions()).build()
                : error).toList();
    }

    private boolean changes(String message) {
        return message != null && !message.equals(redactor.redact(message));
    }
}
