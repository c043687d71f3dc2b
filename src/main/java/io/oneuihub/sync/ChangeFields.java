package io.oneuihub.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.oneuihub.db.RecordValues;
import io.oneuihub.db.Values;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields a sync compares and reports for a typed row: its record components minus the row's identity, in
 * component order, named as the components (= the writer's recordset columns). Enums by name; JSON values
 * (params, per-model budgets) in canonical form, so that stored and upstream compare equal when they mean the
 * same. Built the same way for the stored row and the upstream one, so both sides always match in shape.
 */
final class ChangeFields {

    private ChangeFields() {
    }

    static Map<String, Object> of(Record row, Set<String> identity, JsonMapper json) {
        List<String> names = RecordValues.names(row.getClass());
        Object[] values = RecordValues.values(row);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (!identity.contains(names.get(i))) {
                fields.put(names.get(i), comparable(values[i], json));
            }
        }
        return fields;
    }

    private static Object comparable(Object value, JsonMapper json) {
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof List<?> list && list.stream().allMatch(item -> item instanceof Enum<?> || item instanceof String)) {
            return list.stream().map(item -> item instanceof Enum<?> e ? e.name() : item).toList();
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return Values.canonicalValue(json, value);
        }
        return value;
    }
}
