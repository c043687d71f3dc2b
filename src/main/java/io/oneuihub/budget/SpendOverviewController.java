package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import io.oneuihub.litellm.GlobalSpend;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code spendOverview} and its fields. The live fields fail on their own when LiteLLM cannot answer: the error
 * lands on that field's path and the stored fields still answer.
 */
@Controller
class SpendOverviewController {

    private final SpendService spend;

    SpendOverviewController(SpendService spend) {
        this.spend = spend;
    }

    @QueryMapping
    Mono<SpendOverview> spendOverview() {
        return spend.overview();
    }

    @SchemaMapping
    Mono<BigDecimal> globalSpend(SpendOverview overview) {
        return overview.liveSpend().mapNotNull(GlobalSpend::spend);
    }

    @SchemaMapping
    Mono<BigDecimal> maxBudget(SpendOverview overview) {
        return overview.liveSpend().mapNotNull(GlobalSpend::maxBudget);
    }

    @SchemaMapping
    Mono<BudgetCounts> budgets(SpendOverview overview) {
        return spend.counts();
    }

    @SchemaMapping
    Flux<Budget> topSpenders(SpendOverview overview, @Argument Integer first) {
        return spend.topSpenders(first);
    }

    @SchemaMapping
    Mono<OffsetDateTime> budgetsSyncedAt(SpendOverview overview) {
        return spend.budgetsSyncedAt();
    }
}
