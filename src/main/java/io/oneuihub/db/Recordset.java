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
import java.util.function.IntFunction;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Typed rows sent to PostgreSQL as one array parameter per column and unpacked there by {@code unnest}: one
 * statement per batch, not per row. Writers put {@link #fromItem} after FROM (a relation {@code r} with the
 * declared column names and types) and bind a batch with {@link #bindRows}.
 *
 * <p>The arrays are bound by position in the record, and nothing in SQL checks that position i of the record is
 * the column the statement means by its name. So the record is the column list: its components must carry the
 * columns' names (as PostgreSQL folds them: unquoted names in lower case), in the same order, with a Java type
 * that holds the column's SQL type. {@link #of} checks that and throws otherwise; writers keep their recordset in
 * a static field, so a renamed, missing or retyped component fails when the writer class loads (at start-up),
 * never as a column silently filled from another component. {@link #columnArrays} is then the one mapping from
 * rows to the parameters.
 *
 * <p>How each kind travels (arrays of the driver's own element codecs, a null element for SQL NULL):
 * uuid, text, numeric, integer, bigint, boolean and timestamptz as {@code UUID[]}, {@code String[]} (an enum by
 * name), {@code BigDecimal[]} (exact decimal text), {@code Integer[]}, {@code Long[]}, {@code Boolean[]},
 * {@code OffsetDateTime[]}. A text[] per row cannot be a row of a 2-D array (rows differ in length), so it goes
 * as the text of its array literal and is cast back per row; a jsonb per row goes as its JSON text and is cast
 * per row. Both are elements of a {@code String[]}.
 */
public final class Recordset<R extends Record> {

    /** The column kinds a recordset carries, each with the Java array its values are bound in. */
    private enum Kind {
        UUID_VALUE(UUID[]::new), TEXT(String[]::new), NUMERIC(BigDecimal[]::new), INTEGER(Integer[]::new),
        BIGINT(Long[]::new), BOOLEAN(Boolean[]::new), TIMESTAMPTZ(OffsetDateTime[]::new),
        /** a text[] per row, as the text of its array literal */
        TEXT_ARRAY(String[]::new),
        /** a jsonb per row, as its JSON text */
        JSONB(String[]::new);

        final IntFunction<Object[]> array;

        Kind(IntFunction<Object[]> array) {
            this.array = array;
        }

        static Kind of(String sqlType) {
            return switch (sqlType) {
                case "uuid" -> UUID_VALUE;
                case "text" -> TEXT;
                case "numeric" -> NUMERIC;
                case "integer" -> INTEGER;
                case "bigint" -> BIGINT;
                case "boolean" -> BOOLEAN;
                case "timestamptz" -> TIMESTAMPTZ;
                case "text[]" -> TEXT_ARRAY;
                case "jsonb" -> JSONB;
                default -> null;
            };
        }
    }

    /**
     * @param name     as PostgreSQL folds it
     * @param sqlType  the type without modifiers, lower case (what {@link #holds} checks)
     * @param declared the type as declared, modifiers included (what the relation's column gets)
     */
    private record Column(String name, String sqlType, String declared) {
    }

    private final List<Kind> kinds;
    private final List<String> parameters;
    private final String fromItem;

    private Recordset(List<Column> columns) {
        this.kinds = columns.stream().map(column -> Kind.of(column.sqlType())).toList();
        this.parameters = columns.stream().map(column -> "rows_" + column.name()).toList();
        this.fromItem = fromItem(columns, kinds, parameters);
    }

    /**
     * @param columns the recordset's columns, e.g. {@code id uuid, "companyId" uuid, rpm bigint, tags text[]}
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
        return new Recordset<>(declared);
    }

    /**
     * What a writer puts after FROM: the bound rows as a relation {@code r} with the declared column names and
     * types, e.g. {@code (SELECT u.c0 AS "id", CAST(u.c1 AS text[]) AS "tags" FROM unnest(CAST(:rows_id AS uuid[]),
     * CAST(:rows_tags AS text[])) AS u(c0, c1)) AS r}. Its parameters are bound by {@link #bindRows}.
     */
    public String fromItem() {
        return fromItem;
    }

    /** Binds {@code rows} to the parameters of {@link #fromItem}: one array per column, a row per index. */
    public GenericExecuteSpec bindRows(GenericExecuteSpec spec, JsonMapper json, Collection<? extends R> rows) {
        GenericExecuteSpec bound = spec;
        for (Map.Entry<String, Object[]> parameter : columnArrays(json, rows).entrySet()) {
            bound = bound.bind(parameter.getKey(), parameter.getValue());
        }
        return bound;
    }

    /** Parameter name -> the column's values, in the order of {@code rows} (exposed for tests). */
    Map<String, Object[]> columnArrays(JsonMapper json, Collection<? extends R> rows) {
        List<Object[]> arrays = new ArrayList<>(kinds.size());
        for (Kind kind : kinds) {
            arrays.add(kind.array.apply(rows.size()));
        }
        int index = 0;
        for (R row : rows) {
            Object[] values = RecordValues.values(row);
            for (int i = 0; i < values.length; i++) {
                arrays.get(i)[index] = values[i] == null ? null : parameterValue(kinds.get(i), values[i], json);
            }
            index++;
        }
        Map<String, Object[]> named = new LinkedHashMap<>();
        for (int i = 0; i < arrays.size(); i++) {
            named.put(parameters.get(i), arrays.get(i));
        }
        return named;
    }

    private static Object parameterValue(Kind kind, Object value, JsonMapper json) {
        return switch (kind) {
            case TEXT -> value instanceof Enum<?> e ? e.name() : value;
            case TEXT_ARRAY -> arrayLiteral((List<?>) value);
            case JSONB -> json.writeValueAsString(jsonValue(value));
            default -> value;
        };
    }

    /** A list of enums as their names (as a text column has them); any other JSON value as it is. */
    private static Object jsonValue(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Enum<?>) {
            return list.stream().map(item -> ((Enum<?>) item).name()).toList();
        }
        return value;
    }

    /**
     * The text[] input form of {@code items}: every element double-quoted with {@code "} and {@code \} escaped, so
     * commas, braces, blanks, an empty string and the string NULL stay text; a null element is an unquoted NULL.
     */
    static String arrayLiteral(List<?> items) {
        StringBuilder literal = new StringBuilder(2 + items.size() * 16).append('{');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            Object item = items.get(i);
            if (item == null) {
                literal.append("NULL");
                continue;
            }
            String text = item instanceof Enum<?> e ? e.name() : (String) item;
            literal.append('"');
            for (int c = 0; c < text.length(); c++) {
                char ch = text.charAt(c);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }

    private static String fromItem(List<Column> columns, List<Kind> kinds, List<String> parameters) {
        List<String> select = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String alias = "c" + i;
            String value = "u." + alias;
            String elementType = switch (kinds.get(i)) {
                case TEXT_ARRAY, JSONB -> "text";
                default -> column.declared();
            };
            if (!elementType.equals(column.declared())) {
                value = "CAST(" + value + " AS " + column.declared() + ")";
            }
            select.add(value + " AS \"" + column.name() + "\"");
            arrays.add("CAST(:" + parameters.get(i) + " AS " + elementType + "[])");
            aliases.add(alias);
        }
        return "(SELECT " + String.join(", ", select) + " FROM unnest(" + String.join(", ", arrays) + ") AS u("
                + String.join(", ", aliases) + ")) AS r";
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

    /**
     * Splits "a uuid, \"bC\" numeric(30, 18)" into (a, uuid, uuid), (bC, numeric, numeric(30, 18)); unquoted
     * names fold to lower case.
     */
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
            String declared = rest.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            parsed.add(new Column(name, declared.replaceAll("\\(.*\\)", ""), declared));
        }
        return parsed;
    }
}
