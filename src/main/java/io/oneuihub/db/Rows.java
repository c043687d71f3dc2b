package io.oneuihub.db;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;

/**
 * Typed column reads shared by the hand-written repositories: by name, or by position for a statement whose column
 * list the repository wrote itself (the driver then skips the name lookup, which was about a fifth of a catalog
 * page's row mapping in issue 12's profile).
 */
public final class Rows {

    private Rows() {
    }

    public static UUID uuid(Readable row, String column) {
        return row.get(column, UUID.class);
    }

    public static String text(Readable row, String column) {
        return row.get(column, String.class);
    }

    public static boolean bool(Readable row, String column) {
        return Boolean.TRUE.equals(row.get(column, Boolean.class));
    }

    public static Integer integer(Readable row, String column) {
        return row.get(column, Integer.class);
    }

    public static Long bigint(Readable row, String column) {
        return row.get(column, Long.class);
    }

    public static OffsetDateTime time(Readable row, String column) {
        return row.get(column, OffsetDateTime.class);
    }

    public static BigDecimal decimal(Readable row, String column) {
        return Decimals.normalize(row.get(column, BigDecimal.class));
    }

    public static String json(Readable row, String column) {
        Json json = row.get(column, Json.class);
        return json == null ? null : json.asString();
    }

    public static UUID uuid(Readable row, int index) {
        return row.get(index, UUID.class);
    }

    public static String text(Readable row, int index) {
        return row.get(index, String.class);
    }

    public static boolean bool(Readable row, int index) {
        return Boolean.TRUE.equals(row.get(index, Boolean.class));
    }

    public static Integer integer(Readable row, int index) {
        return row.get(index, Integer.class);
    }

    public static Long bigint(Readable row, int index) {
        return row.get(index, Long.class);
    }

    public static OffsetDateTime time(Readable row, int index) {
        return row.get(index, OffsetDateTime.class);
    }

    public static BigDecimal decimal(Readable row, int index) {
        return Decimals.normalize(row.get(index, BigDecimal.class));
    }

    public static List<String> textArray(Readable row, int index) {
        String[] values = row.get(index, String[].class);
        return values == null ? List.of() : Arrays.asList(values);
    }
}
