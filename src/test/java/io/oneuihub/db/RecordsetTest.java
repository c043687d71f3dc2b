package io.oneuihub.db;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.catalog.ModelCapability;
import io.oneuihub.catalog.RecordStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard between typed rows and jsonb_to_recordset: a component that does not match its column by name
 * (as PostgreSQL folds it), position or type fails loudly, instead of becoming a NULL column.
 */
class RecordsetTest {

    private static final String COLUMNS = "id uuid, \"companyId\" uuid, \"inputCostPerToken\" numeric(30, 18), rpm bigint, "
            + "capabilities text[], status text, \"resetAt\" timestamptz, params jsonb";

    record Good(UUID id, UUID companyId, BigDecimal inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt, Map<String, Object> params) {
    }

    /** companyId misspelled: jsonb_to_recordset would have filled "companyId" with NULL on every row. */
    record Renamed(UUID id, UUID companyID, BigDecimal inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt, Map<String, Object> params) {
    }

    record Missing(UUID id, UUID companyId, BigDecimal inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt) {
    }

    record Extra(UUID id, UUID companyId, BigDecimal inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt, Map<String, Object> params, String note) {
    }

    record Reordered(UUID companyId, UUID id, BigDecimal inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt, Map<String, Object> params) {
    }

    /** A price as double: not exact, so not allowed to carry a numeric column. */
    record Retyped(UUID id, UUID companyId, Double inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt, Map<String, Object> params) {
    }

    record Folded(UUID maxTokens) {
    }

    @Test
    void aMatchingRecordIsAcceptedAndBecomesTheDocumentKeyForKey() {
        Recordset<Good> rows = Recordset.of(Good.class, COLUMNS);
        UUID id = UUID.randomUUID();
        Good row = new Good(id, null, new BigDecimal("0.0000025"), 500L,
                List.of(ModelCapability.VISION, ModelCapability.FUNCTION_CALLING), RecordStatus.STALE,
                OffsetDateTime.of(2025, 12, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC), Map.of("model", "openai/gpt-4o"));

        Map<String, Object> values = rows.values(row);
        assertThat(values.keySet()).containsExactly("id", "companyId", "inputCostPerToken", "rpm", "capabilities", "status",
                "resetAt", "params");
        assertThat(values.get("inputCostPerToken")).isEqualTo("0.0000025"); // exact text, never 2.5E-6
        assertThat(values.get("status")).isEqualTo("STALE");
        assertThat(values.get("capabilities")).isEqualTo(List.of("VISION", "FUNCTION_CALLING"));
        assertThat(values.get("resetAt")).isEqualTo("2025-12-01T00:00:00.123456Z");
        assertThat(values).containsEntry("companyId", null);

        String document = rows.document(JsonMapper.builder().build(), List.of(row)).asString();
        assertThat(document).contains("\"companyId\":null").contains("\"id\":\"" + id + "\"")
                .contains("\"params\":{\"model\":\"openai/gpt-4o\"}");
    }

    @Test
    void aRenamedComponentFailsNamingBoth() {
        assertThatThrownBy(() -> Recordset.of(Renamed.class, COLUMNS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("component 2 is companyID but column 2 is companyId");
    }

    @Test
    void aMissingComponentFails() {
        assertThatThrownBy(() -> Recordset.of(Missing.class, COLUMNS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column params has no component");
    }

    @Test
    void aComponentWithoutAColumnFails() {
        assertThatThrownBy(() -> Recordset.of(Extra.class, COLUMNS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("component note has no column");
    }

    @Test
    void componentsOutOfOrderFail() {
        assertThatThrownBy(() -> Recordset.of(Reordered.class, COLUMNS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("component 1 is companyId but column 1 is id");
    }

    @Test
    void aComponentThatCannotHoldTheColumnTypeFails() {
        assertThatThrownBy(() -> Recordset.of(Retyped.class, COLUMNS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inputCostPerToken (java.lang.Double) cannot carry column type numeric");
    }

    @Test
    void anUnquotedColumnNameIsFoldedToLowerCaseAsPostgreSqlDoes() {
        assertThatThrownBy(() -> Recordset.of(Folded.class, "maxTokens uuid"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("component 1 is maxTokens but column 1 is maxtokens");
        assertThat(Recordset.of(Folded.class, "\"maxTokens\" uuid").columns()).isEqualTo("\"maxTokens\" uuid");
    }

    /** Each writer checks its rows against its recordset when its class loads: they all load. */
    @ParameterizedTest
    @ValueSource(strings = {"io.oneuihub.catalog.ModelWriter", "io.oneuihub.catalog.DeploymentWriter",
        "io.oneuihub.budget.BudgetWriter", "io.oneuihub.catalog.CompanyWriter"})
    void everyWritersRowsMatchItsRecordset(String writer) throws ClassNotFoundException {
        Class<?> type = Class.forName(writer, true, getClass().getClassLoader());
        assertThat(type).isNotNull();
    }
}
