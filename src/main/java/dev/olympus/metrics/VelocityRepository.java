package dev.olympus.metrics;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
               long retries, long effective, Double p50, Double p90) {

        static Raw empty(Instant start) {
            return new Raw(start, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
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
        List<Object> params = new ArrayList<>();
        params.add(OffsetDateTime.ofInstant(query.since(), ZoneOffset.UTC));
        params.add(OffsetDateTime.ofInstant(query.until(), ZoneOffset.UTC));
        StringBuilder filters = new StringBuilder();
        if (query.assignee() != null) {
            params.add(query.assignee());
            filters.append(" AND q.asked_by = $").append(params.size());
        }
        if (query.createdBy() != null) {
            params.add(query.createdBy());
            filters.append(" AND t.created_by = $").append(params.size());
        }
        String sql = ANSWER_TIMES.formatted(query.bucket() == VelocityQuery.BucketSize.HOUR ? "1 hour" : "1 day",
                query.createdBy() != null ? " JOIN tasks t ON t.id = q.task_id" : "", filters);
        return client.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
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
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle_seconds) AS p90
            FROM velocity_events
            WHERE at >= $1 AND at < $2%s
            GROUP BY GROUPING SETS ((1), ())
            """;

    /** The statement for one shape of query; filters are left out, not bound to null, so each shape plans well. */
    static String sql(VelocityQuery.BucketSize bucket, boolean byAssignee, boolean byCreator) {
        StringBuilder filters = new StringBuilder();
        int param = 3;
        if (byAssignee) {
            filters.append(" AND assignee = $").append(param++);
        }
        if (byCreator) {
            filters.append(" AND created_by = $").append(param);
        }
        return SQL.formatted(bucket == VelocityQuery.BucketSize.HOUR ? "1 hour" : "1 day", filters);
    }

    public Uni<Result> velocity(SqlClient client, VelocityQuery query) {
        List<Object> params = new ArrayList<>();
        params.add(OffsetDateTime.ofInstant(query.since(), ZoneOffset.UTC));
        params.add(OffsetDateTime.ofInstant(query.until(), ZoneOffset.UTC));
        if (query.assignee() != null) {
            params.add(query.assignee());
        }
        if (query.createdBy() != null) {
            params.add(query.createdBy());
        }
        return client.preparedQuery(sql(query.bucket(), query.assignee() != null, query.createdBy() != null))
                .execute(Tuple.from(params))
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
                row.getDouble("p50"), row.getDouble("p90"));
    }
}
