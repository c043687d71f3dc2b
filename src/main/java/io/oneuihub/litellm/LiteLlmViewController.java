package io.oneuihub.litellm;

import io.oneuihub.catalog.ModelLimits;
import io.oneuihub.catalog.ModelPricing;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

@Controller
class LiteLlmViewController {

    private final LiteLlmViewService views;

    LiteLlmViewController(LiteLlmViewService views) {
        this.views = views;
    }

    @QueryMapping
    Flux<LiteLlmDeployment> litellmModels() {
        return views.deployments();
    }

    @QueryMapping
    Flux<LiteLlmBudget> litellmBudgets() {
        return views.budgets();
    }

    @SchemaMapping(typeName = "LiteLlmDeployment")
    ModelPricing pricing(LiteLlmDeployment deployment) {
        return new ModelPricing(deployment.inputCostPerToken(), deployment.outputCostPerToken());
    }

    @SchemaMapping(typeName = "LiteLlmDeployment")
    ModelLimits limits(LiteLlmDeployment deployment) {
        return new ModelLimits(deployment.maxTokens(), deployment.maxInputTokens(), deployment.maxOutputTokens(),
                deployment.rpm(), deployment.tpm());
    }
}
