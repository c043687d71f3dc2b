package io.oneuihub.litellm;

import java.time.Duration;
import java.util.Comparator;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

    /** Proxy-wide spend over the trailing 30 days, as LiteLLM reports it now. */
    public Mono<GlobalSpend> globalSpend() {
        return bounded(client.globalSpend().flux(), "GET /global/spend").next();
    }

    /** The settings of one LiteLLM budget row, in LiteLLM's order; an unknown row gives unset values. */
    public Flux<BudgetSetting> budgetSettings(String budgetRowId) {
        return bounded(client.budgetSettings(budgetRowId), "GET /budget/settings");
    }

    /** One customer as LiteLLM has it now (NOT_FOUND when LiteLLM has none). */
    public Mono<LiteLlmCustomer> customer(String id) {
        return bounded(client.customer(id).flux(), "GET /customer/info").next();
    }

    private <T> Flux<T> bounded(Flux<T> read, String operation) {
        return read.collectList()
                .timeout(deadline, Mono.error(() -> new LiteLlmException(LiteLlmException.Category.TIMEOUT, 0,
                        operation, "no complete answer within " + deadline.toMillis() + " ms")))
                .flatMapIterable(list -> list);
    }
}
