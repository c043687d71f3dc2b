package io.oneuihub.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.reactivestreams.Publisher;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code hub.subscriptions.active{operation}}: subscriptions being served, by the subscription field they asked
 * for. A subscription counts from the moment its event stream is subscribed until it ends in any way: completed by
 * the server, failed, stopped by the client (graphql-ws {@code complete}) or cut off with its socket (both cancel
 * the stream). One gauge per field of the schema's Subscription type, there from the start at 0, so the series'
 * cardinality is the schema's and no client can add to it.
 */
final class SubscriptionMetrics implements WebGraphQlInterceptor {

    static final String METRIC = "hub.subscriptions.active";

    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

    SubscriptionMetrics(MeterRegistry registry, GraphQlSource source) {
        GraphQLObjectType subscription = source.schema().getSubscriptionType();
        if (subscription != null) {
            for (GraphQLFieldDefinition field : subscription.getFieldDefinitions()) {
                AtomicInteger count = new AtomicInteger();
                active.put(field.getName(), count);
                Gauge.builder(METRIC, count, AtomicInteger::get)
                        .description("GraphQL subscriptions being served")
                        .tag("operation", field.getName())
                        .register(registry);
            }
        }
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(response -> {
            if (!(response.getData() instanceof Publisher<?> events)) {
                return response;
            }
            AtomicInteger count = active.get(rootField(request));
            if (count == null) {
                return response;
            }
            Flux<?> counted = Flux.from(events)
                    .doOnSubscribe(subscription -> count.incrementAndGet())
                    .doFinally(signal -> count.decrementAndGet());
            return response.transform(builder -> builder.data(counted));
        });
    }

    /**
     * The subscription's one root field. Only a valid subscription has an event stream, so the document parses;
     * parsing it again costs one parse per subscription, not per event.
     */
    static String rootField(WebGraphQlRequest request) {
        Document document = Parser.parse(request.getDocument());
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            if (operation.getOperation() == OperationDefinition.Operation.SUBSCRIPTION
                    && (request.getOperationName() == null || request.getOperationName().equals(operation.getName()))) {
                return firstField(operation.getSelectionSet(), fragments);
            }
        }
        return "";
    }

    private static String firstField(SelectionSet selections, Map<String, FragmentDefinition> fragments) {
        for (Selection<?> selection : selections.getSelections()) {
            SelectionSet nested = null;
            if (selection instanceof Field field) {
                if (!field.getName().startsWith("__")) {
                    return field.getName();
                }
            } else if (selection instanceof InlineFragment inline) {
                nested = inline.getSelectionSet();
            } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                nested = fragments.get(spread.getName()).getSelectionSet();
            }
            if (nested != null) {
                String name = firstField(nested, fragments);
                if (!name.isEmpty()) {
                    return name;
                }
            }
        }
        return "";
    }
}
