package io.oneuihub.catalog;

import java.util.List;

import io.oneuihub.db.Rows;
import io.r2dbc.spi.Readable;

/** Columns of a deployment row (by name) that mean what the same columns of a model mean. */
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
        return ModelWriter.capabilities(row.get("capabilities", String[].class));
    }
}
