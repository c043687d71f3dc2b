package io.oneuihub.db;

import io.r2dbc.postgresql.api.PostgresqlException;

/** Which database constraint a failed statement broke, so callers can name the input at fault. */
public final class Constraints {

    private Constraints() {
    }

    /** The name of the violated constraint anywhere in the cause chain; null when none is named. */
    public static String violated(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PostgresqlException postgres) {
                return postgres.getErrorDetails().getConstraintName().orElse(null);
            }
        }
        return null;
    }
}
