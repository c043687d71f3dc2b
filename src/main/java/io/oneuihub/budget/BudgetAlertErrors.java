package io.oneuihub.budget;

import java.util.List;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.springframework.graphql.execution.SubscriptionExceptionResolver;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A budgetAlerts subscriber that fell too far behind gets an error classified SUBSCRIBER_TOO_SLOW that says so. */
@Component
class BudgetAlertErrors implements SubscriptionExceptionResolver {

    @Override
    public Mono<List<GraphQLError>> resolveException(Throwable exception) {
        if (exception instanceof BudgetAlertFanOut.TooSlowException tooSlow) {
            return Mono.just(List.of(GraphqlErrorBuilder.newError()
                    .errorType(ErrorClassification.errorClassification("SUBSCRIBER_TOO_SLOW"))
                    .message(tooSlow.getMessage())
                    .build()));
        }
        return Mono.empty();
    }
}
