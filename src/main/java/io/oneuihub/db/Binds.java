package io.oneuihub.db;

import io.r2dbc.spi.Parameters;

/** R2DBC cannot bind a bare null: it needs the type. */
public final class Binds {

    private Binds() {
    }

    public static Object orNull(Object value, Class<?> type) {
        return value != null ? value : Parameters.in(type);
    }

    public static Object text(String value) {
        return orNull(value, String.class);
    }
}
