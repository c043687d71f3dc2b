package io.oneuihub.sync;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.oneuihub.db.Values;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields a sync compares and reports for a typed row: its record components minus the row's identity, in
 * component order, named as the components (= the writer's recordset columns). Enums by name; JSON values
 * (params, per-model budgets) in canonical form, so that stored and upstream compare equal when they mean the
 * same. Built the same way for the stored row and the upstream one, so both sides always match in shape.
 */
final class ChangeFields {

    private record Accessors(List<String> names, List<Method> methods) {
    }

    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            List<String> names = new ArrayList<>();
            List<Method> methods = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                names.add(component.getName());
                methods.add(accessor);
            }
            return new Accessors(List.copyOf(names), List.copyOf(methods));
        }
    };

    private ChangeFields() {
    }

    static Map<String, Object> of(Record row, Set<String> identity, JsonMapper json) {
        Accessors accessors = ACCESSORS.get(row.getClass());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < accessors.names().size(); i++) {
            String name = accessors.names().get(i);
            if (!identity.contains(name)) {
                fields.put(name, comparable(read(accessors.methods().get(i), row), json));
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

    private static Object read(Method accessor, Record row) {
        try {
            return accessor.invoke(row);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
