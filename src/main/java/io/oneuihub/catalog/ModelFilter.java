package io.oneuihub.catalog;

import java.util.List;

/** {@code enabled} and {@code statuses} are for admins only. */
public record ModelFilter(
        String companyId,
        String companySlug,
        String search,
        List<String> modes,
        List<ModelCapability> capabilities,
        Boolean free,
        Boolean enabled,
        List<RecordStatus> statuses) {

    static final ModelFilter NONE = new ModelFilter(null, null, null, null, null, null, null, null);
}
