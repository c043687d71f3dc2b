package io.oneuihub.budget;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.oneuihub.graphql.InvalidInputException;
import io.oneuihub.litellm.LiteLlmViewService;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where the money goes: who spends what is for admins only, like the budgets themselves. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class SpendService {

    static final int MAX_TOP_SPENDERS = 100;

    private final SpendRepository spend;
    private final LiteLlmViewService litellm;

    public SpendService(SpendRepository spend, LiteLlmViewService litellm) {
        this.spend = spend;
        this.litellm = litellm;
    }

    public Mono<SpendOverview> overview() {
        // LiteLLM is asked only if a live field is selected, and then once (SpendOverview caches the answer).
        return Mono.just(new SpendOverview(OffsetDateTime.now(ZoneOffset.UTC), Mono.defer(litellm::globalSpend)));
    }

    public Mono<BudgetCounts> counts() {
        return spend.counts();
    }

    public Flux<Budget> topSpenders(Integer first) {
        int n = first == null ? 5 : first;
        if (n < 1 || n > MAX_TOP_SPENDERS) {
            return Flux.error(new InvalidInputException("first", "first must be between 1 and " + MAX_TOP_SPENDERS + "."));
        }
        return spend.topSpenders(n);
    }

    public Mono<OffsetDateTime> budgetsSyncedAt() {
        return spend.budgetsSyncedAt();
    }
}
