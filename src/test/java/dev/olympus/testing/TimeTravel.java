package dev.olympus.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Moves rows back in time instead of waiting: PostgreSQL's {@code now()} is the clock of leases, heartbeats, the
 * block-comment window, retention and idempotency keys, so a test sets a timestamp column to {@code now() - ago}.
 */
public final class TimeTravel {

    private TimeTravel() {}

    /**
     * Sets {@code table.column} to {@code now() - ago} in the rows matching {@code where}, whose placeholders
     * ({@code $1, $2, ...}) take {@code params}.
     *
     * @return the number of rows moved
     */
    public static int backdate(Pool pool, String table, String column, Duration ago, String where, Object... params) {
        List<Object> values = new ArrayList<>(Arrays.asList(params));
        values.add(ago.toMillis() / 1000.0);
        String sql = "UPDATE " + table + " SET " + column + " = now() - make_interval(secs => $" + values.size() + ")"
                + " WHERE " + where;
        return pool.preparedQuery(sql).execute(Tuple.from(values)).await().atMost(Duration.ofSeconds(10)).rowCount();
    }
}
