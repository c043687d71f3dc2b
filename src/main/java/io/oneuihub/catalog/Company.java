package io.oneuihub.catalog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

public record Company(
        UUID id,
        String slug,
        String name,
        String description,
        String logoUrl,
        String website,
        List<String> providers,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
