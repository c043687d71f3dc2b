package io.oneuihub.catalog;

import java.util.List;

import io.oneuihub.db.Rows;
import io.r2dbc.spi.Readable;

/** Columns that model and deployment rows share. */
final class CatalogRows {

    private CatalogRows() {
    }

    static ModelPricing pricing(Readable row) {
        return new ModelPricing(Rows.decimal(row, "input_cost_per_token"), Rows.decimal(row, "output_cost_per_token"));
    }

    static ModelLimits limits(Readable row) {
        return new ModelLimits(Rows.integer(row, "max_tokens"), Rows.integer(row, "max_input_tokens"),
                Rows.integer(row, "max_output_tokens"), Rows.bigint(row, "rpm"), Rows.bigint(row, "tpm"));
    }

    static List<ModelCapability> capabilities(Readable row) {
        return Rows.textArray(row, "capabilities").stream().map(ModelCapability::valueOf).toList();
    }
}
