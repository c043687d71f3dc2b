package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.List;

/** The JSON shapes the catalog test documents select, decoded for assertions. */
final class CatalogJson {

    private CatalogJson() {
    }

    record Page<T>(List<Edge<T>> edges, PageInfo pageInfo, Integer totalCount) {
        List<T> nodes() {
            return edges.stream().map(Edge::node).toList();
        }
    }

    record Edge<T>(String cursor, T node) {
    }

    record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    record Pricing(BigDecimal inputCostPerToken, BigDecimal outputCostPerToken, BigDecimal inputCostPerMillionTokens,
            BigDecimal outputCostPerMillionTokens) {
    }

    record Limits(Integer maxTokens, Integer maxInputTokens, Integer maxOutputTokens) {
    }

    record CompanyRef(String slug) {
    }

    record ModelNode(String id, String name, String mode, boolean enabled, boolean free, String status,
            List<String> capabilities, Pricing pricing, Limits limits, CompanyRef company, String createdAt) {
    }

    record CompanyNode(String id, String slug, String name, List<String> providers, String website) {
    }
}
