package io.oneuihub.db;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import tools.jackson.databind.json.JsonMapper;

/**
 * Typed rows sent to PostgreSQL as one jsonb document and unpacked there by
 * {@code jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(<columns>)}: one statement per batch, not per row.
 *
 * <p>jsonb_to_recordset fills a column whose key the document lacks with NULL, silently. So the record is the
 * column list: its components must carry the recordset's column names (as PostgreSQL folds them: unquoted
 * names in lower case), in the same order, with a Java type that holds the column's SQL type. {@link #of}
 * checks that and throws otherwise; writers keep their recordset in a static field, so a renamed, missing or
 * retyped component fails when the writer class loads (at start-up), never as a NULL column in the data.
 * {@link #document} is then the one mapping from rows to the document: key = component name.
 */
public final class Recordset<R extends Record> {

    private record Column(String name, String sqlType) {
    }

    private final Class<R> type;
    private final String columns;
    private final List<String> names;

    private Recordset(Class<R> type, String columns) {
        this.type = type;
        this.columns = columns;
        this.names = RecordValues.names(type);
    }

    /**
     * @param columns the column definition list of the recordset, e.g. {@code id uuid, "companyId" uuid, rpm bigint}
     * @throws IllegalStateException when the record's components do not match the columns one for one
     */
    public static <R extends Record> Recordset<R> of(Class<R> type, String columns) {
        List<Column> declared = parse(columns);
        RecordComponent[] components = type.getRecordComponents();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < Math.max(declared.size(), components.length); i++) {
            if (i >= components.length) {
                problems.add("column " + declared.get(i).name() + " has no component");
                continue;
            }
            RecordComponent component = components[i];
            if (i >= declared.size()) {
                problems.add("component " + component.getName() + " has no column");
                continue;
            }
            Column column = declared.get(i);
            if (!column.name().equals(component.getName())) {
                problems.add("component " + (i + 1) + " is " + component.getName() + " but column " + (i + 1) + " is "
                        + column.name());
            } else if (!holds(column.sqlType(), component)) {
                problems.add("component " + component.getName() + " (" + component.getGenericType().getTypeName()
                        + ") cannot carry column type " + column.sqlType());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(type.getSimpleName() + " does not match its recordset (" + columns.strip()
                    + "): " + String.join("; ", problems));
        }
        return new Recordset<>(type, columns.strip());
    }

    /** The column definition list, to be written after {@code AS r(}. */
    public String columns() {
        return columns;
    }

    public Class<R> type() {
        return type;
    }

    /** The rows as one jsonb array: numbers and times as exact text, enums by name, JSON values as JSON. */
    public Json document(JsonMapper json, Collection<? extends R> rows) {
        List<Map<String, Object>> document = new ArrayList<>(rows.size());
        for (R row : rows) {
            document.add(values(row));
        }
        return Json.of(json.writeValueAsString(document));
    }

    /** One row as the document holds it (exposed for tests). */
    public Map<String, Object> values(R row) {
        Object[] components = RecordValues.values(row);
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            values.put(names.get(i), sqlValue(components[i]));
        }
        return values;
    }

    private static Object sqlValue(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Enum<?>) {
            return list.stream().map(item -> ((Enum<?>) item).name()).toList();
        }
        return Values.forSql(value);
    }

    private static boolean holds(String sqlType, RecordComponent component) {
        Class<?> java = component.getType();
        return switch (sqlType) {
            case "uuid" -> java == UUID.class;
            case "text" -> java == String.class || java.isEnum();
            case "numeric" -> java == BigDecimal.class;
            case "integer" -> java == Integer.class || java == int.class;
            case "bigint" -> java == Long.class || java == long.class;
            case "boolean" -> java == Boolean.class || java == boolean.class;
            case "timestamptz" -> java == OffsetDateTime.class;
            case "text[]" -> List.class.isAssignableFrom(java) && textElements(component.getGenericType());
            case "jsonb" -> Map.class.isAssignableFrom(java) || List.class.isAssignableFrom(java);
            default -> false;
        };
    }

    private static boolean textElements(Type type) {
        if (!(type instanceof ParameterizedType parameterized)) {
            return false;
        }
        Type element = parameterized.getActualTypeArguments()[0];
        return element == String.class || element instanceof Class<?> c && c.isEnum();
    }

    /** Splits "a uuid, \"bC\" numeric(30, 18)" into (a, uuid), (bC, numeric); unquoted names fold to lower case. */
    private static List<Column> parse(String columns) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char c : columns.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                items.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        items.add(current.toString());
        List<Column> parsed = new ArrayList<>();
        for (String item : items) {
            String text = item.strip();
            String name;
            String rest;
            if (text.startsWith("\"")) {
                int end = text.indexOf('"', 1);
                name = text.substring(1, end);
                rest = text.substring(end + 1);
            } else {
                int space = text.indexOf(' ');
                if (space < 0) {
                    throw new IllegalStateException("column without a type: " + text);
                }
                name = text.substring(0, space).toLowerCase(Locale.ROOT);
                rest = text.substring(space);
            }
            String sqlType = rest.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("\\(.*\\)", "");
            parsed.add(new Column(name, sqlType));
        }
        return parsed;
    }
}
