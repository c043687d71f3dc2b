package io.oneuihub.catalog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One LiteLLM deployment (model_info.id) behind a public model name. */
public record Deployment(
        UUID id,
        UUID modelId,
        String externalId,
        String litellmModel,
        String provider,
        String mode,
        ModelPricing pricing,
        ModelLimits limits,
        List<ModelCapability> capabilities,
        boolean editable,
        Map<String, Object> params,
        RecordStatus status,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime lastSyncedAt) {
}
