package io.oneuihub.catalog;

import java.util.List;

import io.oneuihub.graphql.UserError;

/**
 * The schema's ModelPayload. changedDeployments / unchangedDeployments say, for a mutation that writes LiteLLM,
 * which deployments LiteLLM accepted the change for and which it did not get or refused.
 */
public record ModelPayload(Model model, Deployment deployment, List<UserError> userErrors,
        List<Deployment> changedDeployments, List<Deployment> unchangedDeployments) {

    public ModelPayload {
        userErrors = List.copyOf(userErrors);
        changedDeployments = List.copyOf(changedDeployments);
        unchangedDeployments = List.copyOf(unchangedDeployments);
    }

    static ModelPayload refused(List<UserError> errors) {
        return new ModelPayload(null, null, errors, List.of(), List.of());
    }
}
