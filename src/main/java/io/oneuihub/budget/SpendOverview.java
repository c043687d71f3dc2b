package io.oneuihub.budget;

import java.time.OffsetDateTime;

import io.oneuihub.litellm.GlobalSpend;
import reactor.core.publisher.Mono;

/**
 * The answer to {@code spendOverview}. The stored parts are resolved field by field, only when selected; the live
 * part is one LiteLLM call shared by {@code globalSpend} and {@code maxBudget} (cached: asking twice in one
 * request would cost two calls and could give two different answers).
 *
 * @param liveSpend LiteLLM's /global/spend, not yet asked; fails when LiteLLM cannot answer
 */
public record SpendOverview(OffsetDateTime asOf, Mono<GlobalSpend> liveSpend) {

    public SpendOverview {
        liveSpend = liveSpend.cache();
    }
}
