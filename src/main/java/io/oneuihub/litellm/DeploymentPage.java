package io.oneuihub.litellm;

import java.util.List;

/**
 * One page of a deployment listing, so a sync can report progress while it reads.
 *
 * @param pageNumber  1-based
 * @param totalPages  null when LiteLLM does not say (old builds answer everything in one page)
 * @param totalCount  null when LiteLLM does not say
 */
public record DeploymentPage(int pageNumber, Integer totalPages, Integer totalCount, List<LiteLlmDeployment> deployments) {

    public DeploymentPage {
        deployments = List.copyOf(deployments);
    }

    public boolean last() {
        return totalPages == null || pageNumber >= totalPages;
    }
}
