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
 * The guard between typed rows and their unnest relation: a component that does not match its column by name
 * (as PostgreSQL folds it), position or type fails loudly, instead of filling a column from another component;
 * and what a batch becomes: one typed array per column. RecordsetRoundTripTest sends such batches to PostgreSQL.
 */
class RecordsetTest {

    private static final String COLUMNS = "id uuid, \"companyId\" uuid, \"inputCostPerToken\" numeric(30, 18), rpm bigint, "
            + "capabilities text[], status text, \"resetAt\" timestamptz, params jsonb";

    record Good(UUID id, UUID companyId, BigDecimal inputCostPerToken, Long rpm, List<ModelCapability> capabilities,
            RecordStatus status, OffsetDateTime resetAt, Map<String, Object> params) {
    }

    /** companyId misspelled: names are how the check sees that component i is the column bound as column i. */
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
    void aMatchingRecordIsAcceptedAndBecomesOneTypedArrayPerColumn() {
        Recordset<Good> rows = Recordset.of(Good.class, COLUMNS);
        UUID id = UUID.randomUUID();
        BigDecimal price = new BigDecimal("0.0000025");
        OffsetDateTime resetAt = OffsetDateTime.of(2025, 12, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC);
        Good row = new Good(id, null, price, 500L, List.of(ModelCapability.VISION, ModelCapability.FUNCTION_CALLING),
                RecordStatus.STALE, resetAt, Map.of("model", "openai/gpt-4o"));
        Good empty = new Good(null, null, null, null, List.of(), null, null, null);

        Map<String, Object[]> arrays = rows.columnArrays(JsonMapper.builder().build(), List.of(row, empty));
        assertThat(arrays.keySet()).containsExactly("rows_id", "rows_companyId", "rows_inputCostPerToken", "rows_rpm",
                "rows_capabilities", "rows_status", "rows_resetAt", "rows_params");
        assertThat(arrays.get("rows_id")).isInstanceOf(UUID[].class).containsExactly(id, null);
        assertThat(arrays.get("rows_companyId")).isInstanceOf(UUID[].class).containsExactly(null, null);
        // the BigDecimal itself, no text or double on the way
        assertThat(arrays.get("rows_inputCostPerToken")).isInstanceOf(BigDecimal[].class).containsExactly(price, null);
        assertThat(arrays.get("rows_rpm")).isInstanceOf(Long[].class).containsExactly(500L, null);
        assertThat(arrays.get("rows_capabilities")).isInstanceOf(String[].class)
                .containsExactly("{\"VISION\",\"FUNCTION_CALLING\"}", "{}");
        assertThat(arrays.get("rows_status")).isInstanceOf(String[].class).containsExactly("STALE", null);
        assertThat(arrays.get("rows_resetAt")).isInstanceOf(OffsetDateTime[].class).containsExactly(resetAt, null);
        assertThat(arrays.get("rows_params")).isInstanceOf(String[].class)
                .containsExactly("{\"model\":\"openai/gpt-4o\"}", null);
    }

    @Test
    void theFromItemUnnestsOneCastArrayPerColumnIntoTheDeclaredNamesAndTypes() {
        assertThat(Recordset.of(Good.class, COLUMNS).fromItem()).isEqualTo("(SELECT u.c0 AS \"id\", u.c1 AS \"companyId\", "
                + "u.c2 AS \"inputCostPerToken\", u.c3 AS \"rpm\", CAST(u.c4 AS text[]) AS \"capabilities\", u.c5 AS \"status\", "
                + "u.c6 AS \"resetAt\", CAST(u.c7 AS jsonb) AS \"params\" FROM unnest(CAST(:rows_id AS uuid[]), "
                + "CAST(:rows_companyId AS uuid[]), CAST(:rows_inputCostPerToken AS numeric(30, 18)[]), CAST(:rows_rpm AS bigint[]), "
                + "CAST(:rows_capabilities AS text[]), CAST(:rows_status AS text[]), CAST(:rows_resetAt AS timestamptz[]), "
                + "CAST(:rows_params AS text[])) AS u(c0, c1, c2, c3, c4, c5, c6, c7)) AS r");
    }

    @Test
    void aTextArrayLiteralQuotesEveryElementSoNothingInItIsSyntax() {
        List<String> items = new java.util.ArrayList<>(List.of("a\"b", "c\\d", "e,f", "{g}", " h ", "NULL", ""));
        items.add(null);
        assertThat(Recordset.arrayLiteral(items))
                .isEqualTo("{\"a\\\"b\",\"c\\\\d\",\"e,f\",\"{g}\",\" h \",\"NULL\",\"\",NULL}");
        assertThat(Recordset.arrayLiteral(List.of())).isEqualTo("{}");
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
        assertThat(Recordset.of(Folded.class, "\"maxTokens\" uuid").fromItem()).contains("AS \"maxTokens\"");
    }

    /** Each writer checks its rows against its recordset when its class loads: they all load. */
    @ParameterizedTest
    @ValueSource(strings = {"io.oneuihub.catalog.ModelWriter", "io.oneuihub.catalog.DeploymentWriter",
        "io.oneuihub.budget.BudgetWriter", "io.oneuihub.catalog.CompanyWriter", "io.oneuihub.budget.BudgetAlertStore"})
    void everyWritersRowsMatchItsRecordset(String writer) throws ClassNotFoundException {
        Class<?> type = Class.forName(writer, true, getClass().getClassLoader());
        assertThat(type).isNotNull();
    }
}
