package io.oneuihub.litellm;

import java.util.Comparator;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/** Live, unstored views of LiteLLM for admins comparing the hub with its upstream. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class LiteLlmViewService {

    private final LiteLlmClient client;

    public LiteLlmViewService(LiteLlmClient client) {
        this.client = client;
    }

    public Flux<LiteLlmDeployment> deployments() {
        return client.deployments()
                .sort(Comparator.comparing(LiteLlmDeployment::modelName).thenComparing(LiteLlmDeployment::id));
    }

    public Flux<LiteLlmBudget> budgets() {
        return client.budgets().sort(Comparator.comparing(LiteLlmBudget::id));
    }
}
