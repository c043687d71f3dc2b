package io.oneuihub.catalog;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.oneuihub.db.Values;

/**
 * The LiteLLM-owned columns of one model row, as {@link ModelWriter} stores them (component names are the
 * columns of its recordset). Values are normalised as stored: prices at the column scale, capabilities sorted
 * by name without duplicates; so a row built from LiteLLM and a row read back compare equal when nothing
 * changed.
 *
 * @param companyId  the derived company; {@link ModelWriter#update} keeps the stored one while company_manual
 * @param externalId the model_info.id the model is known by (the smallest of its group); null without one
 */
public record ModelRow(
        UUID id,
        String name,
        UUID companyId,
        String mode,
        BigDecimal inputCostPerToken,
        BigDecimal outputCostPerToken,
        Integer maxTokens,
        Integer maxInputTokens,
        Integer maxOutputTokens,
        Long rpm,
        Long tpm,
        List<ModelCapability> capabilities,
        String externalId,
        RecordStatus status) {

    public ModelRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        inputCostPerToken = Values.decimal(inputCostPerToken, Values.PRICE_SCALE);
        outputCostPerToken = Values.decimal(outputCostPerToken, Values.PRICE_SCALE);
        capabilities = capabilities == null ? List.of()
                : capabilities.stream().distinct().sorted(Comparator.comparing(Enum::name)).toList();
        externalId = externalId == null || externalId.isEmpty() ? null : externalId;
    }

    /** The LiteLLM-owned part of a stored model. */
    public static ModelRow of(Model m) {
        return new ModelRow(m.id(), m.name(), m.companyId(), m.mode(), m.pricing().inputCostPerToken(),
                m.pricing().outputCostPerToken(), m.limits().maxTokens(), m.limits().maxInputTokens(), m.limits().maxOutputTokens(),
                m.limits().rpm(), m.limits().tpm(), m.capabilities(), m.externalId(), m.status());
    }

    public ModelRow withId(UUID newId) {
        return new ModelRow(newId, name, companyId, mode, inputCostPerToken, outputCostPerToken, maxTokens, maxInputTokens,
                maxOutputTokens, rpm, tpm, capabilities, externalId, status);
    }
}
