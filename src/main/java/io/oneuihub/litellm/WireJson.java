package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.JsonNodeType;

/**
 * LiteLLM's JSON is loose: numbers arrive as floats or strings, JSON columns as objects or as strings holding
 * JSON, timestamps with or without fraction and offset, lists sometimes as a single object. This mapper and
 * these helpers absorb all of that so the wire records stay plain.
 */
final class WireJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule("litellm-lenient")
                    .addDeserializer(OffsetDateTime.class, new LenientTimestamp())
                    .addDeserializer(Long.class, new LenientLong())
                    .addDeserializer(Integer.class, new LenientInteger())
                    .addDeserializer(BigDecimal.class, new LenientDecimal())
                    .addDeserializer(Boolean.class, new LenientBoolean()))
            .build();

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private WireJson() {
    }

    static JsonNode readTree(byte[] body) {
        return MAPPER.readTree(body);
    }

    static <T> T convert(JsonNode node, Class<T> type) {
        return MAPPER.treeToValue(node, type);
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** A JSON column: an object, or a string holding an object. Anything else is absent. */
    static JsonNode column(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isString()) {
            String text = node.asString().trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    return MAPPER.readTree(text);
                } catch (JacksonException notJson) {
                    return null;
                }
            }
            return null;
        }
        return node;
    }

    /** A JSON column as plain Java maps/lists/values (numbers stay BigDecimal/BigInteger-exact). */
    static Map<String, Object> columnAsMap(JsonNode node) {
        JsonNode column = column(node);
        if (column == null || !column.isObject()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plain(column);
        return map;
    }

    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
                yield java.util.Collections.unmodifiableMap(map);
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                node.values().forEach(v -> list.add(plain(v)));
                yield java.util.Collections.unmodifiableList(list);
            }
            case STRING -> node.asString();
            case BOOLEAN -> node.asBoolean();
            case NUMBER -> node.isIntegralNumber() ? (Object) node.bigIntegerValue() : node.decimalValue();
            default -> node.toString();
        };
    }

    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String value = node.isValueNode() ? node.asString() : node.toString();
        return value == null || value.isBlank() || "None".equals(value) ? null : value;
    }

    static BigDecimal decimal(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty() || "None".equals(trimmed) || "null".equals(trimmed)) {
            return null;
        }
        try {
            return new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static OffsetDateTime timestamp(String text) {
        if (text == null || text.isBlank() || "None".equals(text)) {
            return null;
        }
        try {
            TemporalAccessor parsed = TIMESTAMP.parse(text.trim());
            LocalDateTime local = LocalDateTime.from(parsed);
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))
                    : ZoneOffset.UTC; // LiteLLM always speaks UTC
            return OffsetDateTime.of(local, offset).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static String scalarText(JsonParser p, DeserializationContext ctxt) {
        JsonNode node = ctxt.readTree(p);
        if (node == null || node.isNull() || node.isMissingNode() || node.getNodeType() == JsonNodeType.OBJECT
                || node.isArray()) {
            return null;
        }
        return node.isNumber() ? node.decimalValue().toPlainString() : node.asString();
    }

    private static final class LenientTimestamp extends ValueDeserializer<OffsetDateTime> {
        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) {
            return timestamp(scalarText(p, ctxt));
        }
    }

    private static final class LenientDecimal extends ValueDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) {
            return decimal(scalarText(p, ctxt));
        }
    }

    private static final class LenientLong extends ValueDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) {
            BigDecimal value = decimal(scalarText(p, ctxt));
            return value == null ? null : value.longValue();
        }
    }

    private static final class LenientInteger extends ValueDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
            BigDecimal value = decimal(scalarText(p, ctxt));
            return value == null ? null : value.intValue();
        }
    }

    private static final class LenientBoolean extends ValueDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) {
            String text = scalarText(p, ctxt);
            if (text == null) {
                return null;
            }
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> Boolean.TRUE;
                case "false", "0", "no" -> Boolean.FALSE;
                default -> null;
            };
        }
    }
}
