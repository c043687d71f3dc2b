package io.oneuihub.catalog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A public model name (a LiteLLM model group) with the pricing and limits of its deployments. */
public record Model(
        UUID id,
        String name,
        UUID companyId,
        boolean companyManual,
        String description,
        String mode,
        ModelPricing pricing,
        ModelLimits limits,
        List<ModelCapability> capabilities,
        boolean enabled,
        boolean free,
        RecordStatus status,
        String externalId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime lastSyncedAt) {

    public boolean publiclyVisible() {
        return enabled && status == RecordStatus.ACTIVE;
    }
}
