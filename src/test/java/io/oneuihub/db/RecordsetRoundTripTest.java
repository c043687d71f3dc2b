package io.oneuihub.db;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.oneuihub.catalog.ModelCapability;
import io.oneuihub.catalog.RecordStatus;
import io.oneuihub.dev.EmbeddedDatabase;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch through a real statement and back: every column kind a writer uses, with the values that break a
 * hand-made literal (quotes, backslashes, commas, braces, blanks, the string NULL, the empty string, unicode),
 * prices at 18 decimals and large magnitudes, exact big JSON numbers, and SQL NULL in every column.
 */
class RecordsetRoundTripTest {

    record Awkward(Integer ord, UUID id, String label, RecordStatus status, BigDecimal price, BigDecimal amount,
            Integer count, Long big, Boolean flag, OffsetDateTime at, List<String> tags,
            List<ModelCapability> capabilities, Map<String, Object> params, List<Object> items) {
    }

    private static final Recordset<Awkward> ROWS = Recordset.of(Awkward.class, """
            ord integer, id uuid, label text, status text, price numeric(30, 18), amount numeric, count integer,
            big bigint, flag boolean, at timestamptz, tags text[], capabilities text[], params jsonb, items jsonb""");

    /** The application's setting (ScalarConfiguration); the JSON text must be exact either way. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    /** Reads the stored JSON back with its numbers as BigDecimal (a double would round the big ones). */
    private static final JsonMapper EXACT_READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();

    private static DatabaseClient db;

    @BeforeAll
    static void database() {
        String url = EmbeddedDatabase.r2dbcUrl(EmbeddedDatabase.createDatabase("recordset"));
        db = DatabaseClient.create(ConnectionFactories.get(ConnectionFactoryOptions.parse(url).mutate()
                .option(ConnectionFactoryOptions.USER, "postgres")
                .option(ConnectionFactoryOptions.PASSWORD, "postgres").build()));
        db.sql("""
                CREATE TABLE awkward (ord integer PRIMARY KEY, id uuid, label text, status text, price numeric(30, 18),
                  amount numeric, count integer, big bigint, flag boolean, at timestamptz, tags text[],
                  capabilities text[], params jsonb, items jsonb)""").then().block();
    }

    private static List<String> awkwardTexts() {
        List<String> texts = new ArrayList<>(List.of("say \"hi\"", "back\\slash", "trailing\\", "a,b", "{brace}", "}{",
                " spaced ", "NULL", "null", "", "ünïcødé ✓ 日本語 🙂", "line\nbreak\ttab", "'single'", "\\\"", "[1:2]={x}"));
        texts.add(null);
        return texts;
    }

    private static Map<String, Object> params() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("deep", Map.of("deeper", List.of(1, "two", Map.of("three", true))));
        nested.put("nothing", null);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", "openai/gpt-4o \"quoted\" \\ {x}");
        params.put("price", new BigDecimal("0.000000000000000001"));
        params.put("huge", new BigDecimal("123456789012345678901234567890.123456789012345678901234567890"));
        params.put("bigInt", new BigInteger("98765432109876543210987654321"));
        params.put("exponent", new BigDecimal("1E+40"));
        params.put("nested", nested);
        params.put("empty", Map.of());
        return params;
    }

    private static List<Awkward> rows() {
        List<Awkward> rows = new ArrayList<>();
        List<String> texts = awkwardTexts();
        OffsetDateTime at = OffsetDateTime.of(2025, 12, 1, 23, 59, 59, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30));
        // one row per awkward text in the text column; all of them in one text[], and in the JSON
        for (int i = 0; i < texts.size(); i++) {
            rows.add(new Awkward(i, UUID.randomUUID(), texts.get(i), RecordStatus.STALE, new BigDecimal("0.000000000000000001"),
                    new BigDecimal("-98765432109876543210987654321.000000000000000001"), -2147483648, Long.MAX_VALUE, true,
                    at.plusSeconds(i), texts, List.of(ModelCapability.VISION, ModelCapability.FUNCTION_CALLING), params(),
                    new ArrayList<>(texts)));
        }
        rows.add(new Awkward(100, UUID.randomUUID(), "empty lists", RecordStatus.ACTIVE, new BigDecimal("999999999999.999999999999999999"),
                new BigDecimal("1E+20"), 0, Long.MIN_VALUE, false, at, List.of(), List.of(), Map.of(), List.of()));
        rows.add(new Awkward(101, UUID.randomUUID(), "a list of NULL", RecordStatus.ACTIVE, new BigDecimal("-0.5"),
                new BigDecimal("1E-30"), 1, 0L, false, at, List.of("NULL"), List.of(ModelCapability.VISION),
                Map.of("n", new BigDecimal("1E-18")), List.of(new BigDecimal("12345678901234567890.5"))));
        rows.add(new Awkward(102, null, null, null, null, null, null, null, null, null, null, null, null, null));
        return rows;
    }

    @Test
    void theRelationHasTheDeclaredTypes() {
        List<Awkward> one = List.of(rows().get(0));
        List<String> types = ROWS.bindRows(db.sql("""
                        SELECT pg_typeof(r.ord)::text, pg_typeof(r.id)::text, pg_typeof(r.label)::text, pg_typeof(r.status)::text,
                          pg_typeof(r.price)::text, pg_typeof(r.amount)::text, pg_typeof(r.count)::text, pg_typeof(r.big)::text,
                          pg_typeof(r.flag)::text, pg_typeof(r.at)::text, pg_typeof(r.tags)::text, pg_typeof(r.capabilities)::text,
                          pg_typeof(r.params)::text, pg_typeof(r.items)::text
                        FROM %s""".formatted(ROWS.fromItem())), JSON, one)
                .map(row -> {
                    List<String> all = new ArrayList<>();
                    for (int i = 0; i < 14; i++) {
                        all.add(row.get(i, String.class));
                    }
                    return all;
                }).one().block();
        assertThat(types).containsExactly("integer", "uuid", "text", "text", "numeric", "numeric", "integer", "bigint",
                "boolean", "timestamp with time zone", "text[]", "text[]", "jsonb", "jsonb");
    }

    @Test
    void everyValueComesBackAsSent() {
        List<Awkward> sent = rows();
        db.sql("TRUNCATE awkward").then().block();
        Long inserted = ROWS.bindRows(db.sql("""
                        INSERT INTO awkward SELECT r.ord, r.id, r.label, r.status, r.price, r.amount, r.count, r.big, r.flag,
                          r.at, r.tags, r.capabilities, r.params, r.items FROM %s""".formatted(ROWS.fromItem())), JSON, sent)
                .fetch().rowsUpdated().block();
        assertThat(inserted).isEqualTo(sent.size());

        List<Map<String, Object>> back = db.sql("""
                        SELECT ord, id, label, status, price, amount, count, big, flag, at, tags, capabilities,
                          params::text AS params, items::text AS items, tags IS NULL AS tags_null,
                          cardinality(tags) AS tag_count FROM awkward ORDER BY ord""")
                .map(row -> {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String column : List.of("ord", "id", "label", "status", "price", "amount", "count", "big", "flag",
                            "at", "tags", "capabilities", "params", "items", "tags_null", "tag_count")) {
                        Object value = switch (column) {
                            case "at" -> row.get(column, OffsetDateTime.class);
                            case "tags", "capabilities" -> row.get(column, String[].class);
                            default -> row.get(column);
                        };
                        values.put(column, value);
                    }
                    return values;
                }).all().collectList().block();

        assertThat(back).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            Awkward row = sent.get(i);
            Map<String, Object> stored = back.get(i);
            String where = "row ord " + row.ord();
            assertThat(stored.get("ord")).as(where).isEqualTo(row.ord());
            assertThat(stored.get("id")).as(where).isEqualTo(row.id());
            assertThat(stored.get("label")).as(where).isEqualTo(row.label());
            assertThat(stored.get("status")).as(where).isEqualTo(row.status() == null ? null : row.status().name());
            assertThat(decimal(stored.get("price"))).as(where).isEqualTo(plain(row.price()));
            assertThat(decimal(stored.get("amount"))).as(where).isEqualTo(plain(row.amount()));
            assertThat(stored.get("count")).as(where).isEqualTo(row.count());
            assertThat(stored.get("big")).as(where).isEqualTo(row.big());
            assertThat(stored.get("flag")).as(where).isEqualTo(row.flag());
            assertThat(instant(stored.get("at"))).as(where).isEqualTo(row.at() == null ? null : row.at().toInstant());
            assertThat(list(stored.get("tags"))).as(where).isEqualTo(row.tags());
            assertThat(stored.get("tags_null")).as(where).isEqualTo(row.tags() == null);
            assertThat(list(stored.get("capabilities"))).as(where)
                    .isEqualTo(row.capabilities() == null ? null : row.capabilities().stream().map(Enum::name).toList());
            assertThat(Values.canonicalJson(EXACT_READER, (String) stored.get("params"))).as(where)
                    .isEqualTo(Values.canonicalValue(JSON, row.params()));
            assertThat(Values.canonicalJson(EXACT_READER, (String) stored.get("items"))).as(where)
                    .isEqualTo(Values.canonicalValue(JSON, row.items()));
        }
        // text[] of the awkward texts, element by element, with the null element and the string "NULL" apart
        assertThat(back.get(0).get("tag_count")).isEqualTo(awkwardTexts().size());
        assertThat((String[]) back.get(0).get("tags")).containsExactlyElementsOf(awkwardTexts());
        // an empty list is an empty array, not NULL; a list of "NULL" is a string
        assertThat((String[]) back.get(sent.size() - 3).get("tags")).isEmpty();
        assertThat((String[]) back.get(sent.size() - 2).get("tags")).containsExactly("NULL");
        // exact numbers in JSON: PostgreSQL's own text of them, digit for digit
        String params = (String) back.get(0).get("params");
        assertThat(params).contains("\"huge\": 123456789012345678901234567890.123456789012345678901234567890")
                .contains("\"bigInt\": 98765432109876543210987654321")
                .contains("\"price\": 0.000000000000000001")
                .contains("\"nothing\": null");
        // the last row: NULL in every column, not an empty value
        Map<String, Object> nulls = back.get(sent.size() - 1);
        assertThat(nulls.entrySet()).filteredOn(e -> !List.of("ord", "tags_null").contains(e.getKey()))
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isNull());
    }

    private static String decimal(Object value) {
        return value == null ? null : plain((BigDecimal) value);
    }

    /** Numerics compared by value, printed plain (the column may pad the scale). */
    private static String plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static Object instant(Object value) {
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    private static List<String> list(Object value) {
        return value == null ? null : Arrays.asList((String[]) value);
    }
}
