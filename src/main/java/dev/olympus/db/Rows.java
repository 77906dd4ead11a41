package dev.olympus.db;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** Small conversions from reactive rows to Java values. */
public final class Rows {

    private Rows() {}

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    public static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }

    public static List<Long> longs(Row row, String column) {
        Long[] values = row.getArrayOfLongs(column);
        return values == null ? List.of() : Arrays.asList(values);
    }
}
