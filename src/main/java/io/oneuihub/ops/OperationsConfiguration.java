package io.oneuihub.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.oneuihub.graphql.OperationCheck;
import io.oneuihub.graphql.OperationChecks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;
import org.springframework.graphql.server.WebGraphQlInterceptor;

/** What operators watch beside the API: the execution id in log lines, and the subscriptions gauge. */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

    /** Outside every interceptor but the socket's authentication: all they log carries the id. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 5)
    WebGraphQlInterceptor executionIdInterceptor() {
        return new ExecutionIdInterceptor();
    }

    /** Outside the error sanitizer: counts the event stream exactly as the client gets it. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 6)
    WebGraphQlInterceptor subscriptionMetrics(MeterRegistry registry, GraphQlSource source) {
        return new SubscriptionMetrics(registry, source);
    }

    /**
     * The one Instrumentation bean: replaces Boot's observation instrumentation (it backs off), times root fields
     * only, and runs every {@link OperationCheck} (limits, access) for the request as a whole.
     */
    @Bean
    GraphQlObservationInstrumentation graphQlObservationInstrumentation(ObservationRegistry registry,
            ObjectProvider<OperationCheck> checks) {
        return new RootFieldObservationInstrumentation(registry, new OperationChecks(checks.orderedStream().toList()));
    }
}
