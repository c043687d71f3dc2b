package io.oneuihub.catalog;

import io.oneuihub.graphql.DeletePayload;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** The Mutation fields that change models and deployments (written through to LiteLLM). */
@Controller
class ModelMutations {

    private final ModelMutationService models;

    ModelMutations(ModelMutationService models) {
        this.models = models;
    }

    @MutationMapping
    Mono<ModelPayload> createModel(@Argument CreateModelInput input) {
        return models.create(input);
    }

    @MutationMapping
    Mono<ModelPayload> updateModel(@Argument UpdateModelInput input) {
        return models.update(input);
    }

    @MutationMapping
    Mono<DeletePayload> deleteModel(@Argument DeleteModelInput input) {
        return models.delete(input);
    }

    @MutationMapping
    Mono<ModelPayload> addDeployment(@Argument AddDeploymentInput input) {
        return models.addDeployment(input);
    }

    @MutationMapping
    Mono<ModelPayload> updateDeployment(@Argument UpdateDeploymentInput input) {
        return models.updateDeployment(input);
    }

    @MutationMapping
    Mono<DeletePayload> removeDeployment(@Argument RemoveDeploymentInput input) {
        return models.removeDeployment(input);
    }
}
