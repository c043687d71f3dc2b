package io.oneuihub.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

@Service
public class DeploymentService {

    private final DeploymentRepository deployments;

    public DeploymentService(DeploymentRepository deployments) {
        this.deployments = deployments;
    }

    /** Deployments show LiteLLM's wiring (api_base, params): admins only. */
    @PreAuthorize("hasRole('ADMIN')")
    public Mono<Map<UUID, List<Deployment>>> deploymentsOfModels(Collection<UUID> modelIds) {
        return deployments.findByModelIds(modelIds)
                .collect(Collectors.groupingBy(Deployment::modelId, Collectors.toList()));
    }
}
