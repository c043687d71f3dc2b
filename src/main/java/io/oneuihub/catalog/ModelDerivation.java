package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A model's LiteLLM-owned values from its group of deployments: the one function the models sync and the model
 * mutations (after a deployment changed) use, so that neither undoes the other.
 *
 * <ul>
 * <li>mode: the most common one (ties: alphabetical)</li>
 * <li>prices: the lowest of the group</li>
 * <li>token limits: the largest</li>
 * <li>rpm / tpm: the sum (the group's capacity)</li>
 * <li>capabilities: the union</li>
 * <li>externalId: the smallest deployment id (model_info.id)</li>
 * </ul>
 * The company is chosen separately ({@link CompanyChoice}) and passed in.
 */
public final class ModelDerivation {

    private ModelDerivation() {
    }

    /**
     * @param group the model's deployments LiteLLM serves under its name (ACTIVE, not deleted); order does not matter
     * @throws IllegalArgumentException when the group is empty (a model without deployments has nothing to derive)
     */
    public static ModelRow derive(UUID id, String name, UUID companyId, List<DeploymentRow> group) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " has no deployments to derive its values from");
        }
        Map<String, Integer> modes = new TreeMap<>();
        group.stream().map(DeploymentRow::mode).filter(Objects::nonNull).forEach(mode -> modes.merge(mode, 1, Integer::sum));
        String mode = null;
        int best = 0;
        for (Map.Entry<String, Integer> e : modes.entrySet()) {
            if (e.getValue() > best) {
                mode = e.getKey();
                best = e.getValue();
            }
        }
        TreeSet<ModelCapability> capabilities = new TreeSet<>(Comparator.comparing(Enum::name));
        group.forEach(d -> capabilities.addAll(d.capabilities()));
        return new ModelRow(id, name, companyId, mode,
                group.stream().map(DeploymentRow::inputCostPerToken).filter(Objects::nonNull).min(BigDecimal::compareTo).orElse(null),
                group.stream().map(DeploymentRow::outputCostPerToken).filter(Objects::nonNull).min(BigDecimal::compareTo).orElse(null),
                group.stream().map(DeploymentRow::maxTokens).filter(Objects::nonNull).max(Integer::compare).orElse(null),
                group.stream().map(DeploymentRow::maxInputTokens).filter(Objects::nonNull).max(Integer::compare).orElse(null),
                group.stream().map(DeploymentRow::maxOutputTokens).filter(Objects::nonNull).max(Integer::compare).orElse(null),
                group.stream().map(DeploymentRow::rpm).filter(Objects::nonNull).reduce(Long::sum).orElse(null),
                group.stream().map(DeploymentRow::tpm).filter(Objects::nonNull).reduce(Long::sum).orElse(null),
                List.copyOf(capabilities),
                group.stream().map(DeploymentRow::externalId).min(Comparator.naturalOrder()).orElseThrow(),
                RecordStatus.ACTIVE);
    }
}
