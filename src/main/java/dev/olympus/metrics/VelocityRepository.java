package dev.olympus.metrics;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Velocity from the event log, aggregated in one statement over {@code velocity_events}: the narrow projection of
 * {@code task.created} and {@code task.status_changed} events that a trigger writes with every event (migration V2),
 * with the per-task facts (first start, cycle time, reopened later) fixed when the event was written. A year of
 * history is then a scan of a few tens of MB instead of every event's task snapshot.
 * Buckets and the total come out of the same scan ({@code GROUPING SETS}), so the total's percentiles are exact.
 */
@ApplicationScoped
public class VelocityRepository {

    /** The numbers of one bucket (start set) or of the total (start null), as the database counts them. */
    record Raw(Instant start, long created, long started, long completed, long failed, long canceled, long reopened,
               long retries, long effective, Double p50, Double p90, long accepted, long rejected,
               long firstPass) {

        static Raw empty(Instant start) {
            return new Raw(start, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, 0);
        }
    }

    record Result(Map<Instant, Raw> buckets, Raw total) {}

    /** Time to answer a question, per bucket of the answer's time (start set) and in total (start null). */
    record AnswerTimes(Instant start, Double p50, Double p90) {}

    private static final String ANSWER_TIMES = """
            SELECT date_bin(INTERVAL '%s', q.answered_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS start,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q.answered_at - q.asked_at)) AS p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM q.answered_at - q.asked_at)) AS p90
            FROM questions q%s
            WHERE q.state = 'answered' AND q.answered_at >= $1 AND q.answered_at < $2%s
            GROUP BY GROUPING SETS ((1), ())
            """;

    /**
     * Question answer times in the range, by the same bucket; {@code assignee} narrows to the questions it asked,
     * {@code createdBy} to those about tasks it created. @return by bucket start, the total under null
     */
    public Uni<Map<Instant, AnswerTimes>> answerTimes(SqlClient client, VelocityQuery query) {
        String sql = ANSWER_TIMES.formatted(query.interval(),
                query.createdBy() != null ? " JOIN tasks t ON t.id = q.task_id" : "",
                query.filters("q.asked_by = %s", "t.created_by = %s"));
        return client.preparedQuery(sql).execute(Tuple.from(query.params())).map(rows -> {
            Map<Instant, AnswerTimes> times = new HashMap<>();
            for (Row row : rows) {
                Instant start = Rows.instant(row, "start");
                times.put(start, new AnswerTimes(start, row.getDouble("p50"), row.getDouble("p90")));
            }
            return times;
        });
    }

    private static final String SQL = """
            SELECT date_bin(INTERVAL '%s', at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS start,
                   count(*) FILTER (WHERE kind = 'created') AS created,
                   count(*) FILTER (WHERE first_start) AS started,
                   count(*) FILTER (WHERE to_status = 'done') AS completed,
                   count(*) FILTER (WHERE to_status = 'failed') AS failed,
                   count(*) FILTER (WHERE to_status = 'canceled') AS canceled,
                   count(*) FILTER (WHERE to_status = 'todo' AND from_status IN ('done', 'failed', 'canceled')) AS reopened,
                   count(*) FILTER (WHERE retry) AS retries,
                   count(*) FILTER (WHERE to_status = 'done' AND NOT reopened_later) AS effective,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_seconds) AS p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle_seconds) AS p90,
                   count(*) FILTER (WHERE review = 'accepted') AS accepted,
                   count(*) FILTER (WHERE review = 'rejected') AS rejected,
                   count(*) FILTER (WHERE review = 'accepted' AND first_pass) AS first_pass
            FROM velocity_events
            WHERE at >= $1 AND at < $2%s
            GROUP BY GROUPING SETS ((1), ())
            """;

    public Uni<Result> velocity(SqlClient client, VelocityQuery query) {
        // Filters are left out, not bound to null, so that each shape of query plans well.
        return client.preparedQuery(SQL.formatted(query.interval(), query.filters("assignee = %s", "created_by = %s")))
                .execute(Tuple.from(query.params()))
                .map(rows -> {
                    Map<Instant, Raw> buckets = new HashMap<>();
                    Raw total = Raw.empty(null);
                    for (Row row : rows) {
                        Raw raw = toRaw(row);
                        if (raw.start() == null) {
                            total = raw;
                        } else {
                            buckets.put(raw.start(), raw);
                        }
                    }
                    return new Result(buckets, total);
                });
    }

    private static Raw toRaw(Row row) {
        return new Raw(Rows.instant(row, "start"),
                row.getLong("created"), row.getLong("started"), row.getLong("completed"), row.getLong("failed"),
                row.getLong("canceled"), row.getLong("reopened"), row.getLong("retries"), row.getLong("effective"),
                row.getDouble("p50"), row.getDouble("p90"),
                row.getLong("accepted"), row.getLong("rejected"), row.getLong("first_pass"));
    }
}
