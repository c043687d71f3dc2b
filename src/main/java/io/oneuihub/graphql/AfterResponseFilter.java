package io.oneuihub.graphql;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives each GraphQL POST an {@link AfterResponse} in its Reactor context (spring-graphql carries that context into
 * the data fetchers) and runs what was added to it when the exchange ends: after the response was written, or
 * when it failed or the client went away, so work handed off this way always runs.
 */
final class AfterResponseFilter implements WebFilter {

    private final String path;

    AfterResponseFilter(String path) {
        this.path = path;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST
                || !path.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            AfterResponse hooks = new AfterResponse();
            return chain.filter(exchange)
                    .doFinally(signal -> hooks.responseWritten())
                    .contextWrite(context -> context.put(AfterResponse.class, hooks));
        });
    }
}
