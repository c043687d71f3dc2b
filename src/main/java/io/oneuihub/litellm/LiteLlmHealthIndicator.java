package io.oneuihub.litellm;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Readiness of the LiteLLM proxy as {@code litellm} under /actuator/health; the reason never carries a secret. */
@Component("litellmHealthIndicator")
public class LiteLlmHealthIndicator implements ReactiveHealthIndicator {

    private final LiteLlmClient client;

    public LiteLlmHealthIndicator(LiteLlmClient client) {
        this.client = client;
    }

    @Override
    public Mono<Health> health() {
        return client.liveliness()
                .map(answer -> Health.up().withDetail("answer", answer).build())
                .onErrorResume(e -> Mono.just(Health.down()
                        .withDetail("category", e instanceof LiteLlmException le ? le.category().name() : "UNAVAILABLE")
                        // the exception message is already sanitized; the exception itself (stack, causes) is not exposed
                        .withDetail("reason", e instanceof LiteLlmException ? e.getMessage() : "LiteLLM check failed")
                        .build()));
    }
}
