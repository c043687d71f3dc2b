package io.oneuihub.litellm;

import java.time.Duration;
import java.util.Comparator;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/** Live, unstored views of LiteLLM for admins comparing the hub with its upstream. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class LiteLlmViewService {

    private final LiteLlmClient client;
    private final Duration deadline;

    /**
     * A live view must answer inside the HTTP request timeout, or the caller gets a bare 503 instead of
     * a GraphQL error naming LiteLLM as the cause: give up at 80 % of it, retries included.
     */
    public LiteLlmViewService(LiteLlmClient client, @Value("${hub.graphql.request-timeout:10s}") Duration requestTimeout) {
        this.client = client;
        this.deadline = requestTimeout.multipliedBy(8).dividedBy(10);
    }

    public Flux<LiteLlmDeployment> deployments() {
        return bounded(client.deployments(), "GET /model/info")
                .sort(Comparator.comparing(LiteLlmDeployment::modelName).thenComparing(LiteLlmDeployment::id));
    }

    public Flux<LiteLlmBudget> budgets() {
        return bounded(client.budgets(), "GET /budget/list").sort(Comparator.comparing(LiteLlmBudget::id));
    }

    private <T> Flux<T> bounded(Flux<T> read, String operation) {
        return read.collectList()
                .timeout(deadline, reactor.core.publisher.Mono.error(() -> new LiteLlmException(LiteLlmException.Category.TIMEOUT, 0,
                        operation, "no complete answer within " + deadline.toMillis() + " ms")))
                .flatMapIterable(list -> list);
    }
}
