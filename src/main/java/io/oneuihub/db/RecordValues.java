package io.oneuihub.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** A record's component names and values in declaration order, with the accessors looked up once per type. */
public final class RecordValues {

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

    private RecordValues() {
    }

    public static List<String> names(Class<? extends Record> type) {
        return ACCESSORS.get(type).names();
    }

    public static Object[] values(Record row) {
        List<Method> methods = ACCESSORS.get(row.getClass()).methods();
        Object[] values = new Object[methods.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = methods.get(i).invoke(row);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return values;
    }
}
