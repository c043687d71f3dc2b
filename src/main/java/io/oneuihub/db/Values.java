package io.oneuihub.db;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Normalizes values the way PostgreSQL stores them, so that "upstream" and "stored" compare equal when
 * nothing changed: numerics at the column's scale, timestamps at microseconds, JSON as a canonical tree.
 * The sync and the admin mutations both store through it: a value one stored differently from the other
 * would show up as a phantom update in the next sync.
 */
public final class Values {

    private static final Pattern DURATION = Pattern.compile("^\\s*(\\d+)\\s*(mo|s|m|h|d|w|y)", Pattern.CASE_INSENSITIVE);

    private Values() {
    }

    /** The scale of the price columns (numeric(30,18)): upstream prices are compared at it. */
    public static final int PRICE_SCALE = 18;

    /** The scale of the money columns of budget (numeric(30,12)): spend accumulates per-token prices. */
    public static final int MONEY_SCALE = 12;

    /** A numeric at the column's scale, trailing zeros stripped (never in exponent form when printed plain). */
    public static BigDecimal decimal(BigDecimal value, int scale) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    public static OffsetDateTime time(OffsetDateTime value) {
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** LiteLLM reads only the leading digits and unit ("1hr" = "1h"); anything else cannot be stored. */
    public static String duration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.find()) {
            return null;
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        String rest = value.substring(m.end()).toLowerCase(Locale.ROOT);
        if (unit.equals("m") && rest.startsWith("o")) {
            unit = "mo";
        }
        return Long.parseLong(m.group(1)) + unit;
    }

    /** JSON as plain Java values with sorted keys and exact, normalized numbers: equal iff semantically equal. */
    public static Object canonical(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), canonical(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(canonical(item)));
            return list;
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            return d.scale() < 0 ? d.setScale(0) : d;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asString();
    }

    public static Object canonicalJson(JsonMapper json, String text) {
        return text == null ? null : canonical(json.readTree(text));
    }

    /**
     * {@link #canonical} of the value's JSON form. Plain JSON-shaped values (string-keyed maps, lists, strings,
     * booleans, integral numbers, BigDecimal, finite doubles) are walked directly, without building a tree: a sync
     * compares the params of every deployment it reads. Anything else goes through Jackson.
     */
    public static Object canonicalValue(JsonMapper json, Object value) {
        if (value == null) {
            return null;
        }
        Object plain = canonicalPlain(value);
        return plain != NOT_PLAIN ? plain : canonical(json.valueToTree(value));
    }

    private static final Object NOT_PLAIN = new Object();

    private static Object canonicalPlain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof BigDecimal d) {
            return stripped(d);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger b) {
            return new BigDecimal(b);
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return stripped(BigDecimal.valueOf(d));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object item = e.getKey() instanceof String ? canonicalPlain(e.getValue()) : NOT_PLAIN;
                if (item == NOT_PLAIN) {
                    return NOT_PLAIN;
                }
                sorted.put((String) e.getKey(), item);
            }
            return sorted;
        }
        if (value instanceof List<?> items) {
            List<Object> list = new ArrayList<>(items.size());
            for (Object item : items) {
                Object canonical = canonicalPlain(item);
                if (canonical == NOT_PLAIN) {
                    return NOT_PLAIN;
                }
                list.add(canonical);
            }
            return list;
        }
        return NOT_PLAIN;
    }

    private static BigDecimal stripped(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
