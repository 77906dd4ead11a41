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
 * Velocity from the event log, aggregated in one statement. The range is read through the partial index
 * {@code events_velocity} (only {@code task.created} and {@code task.status_changed}); per event, at most two
 * index-only lookups into the task's own history answer "is this its first start?", "when did it first start?" and
 * "was this completion reopened later?" (indexes {@code events_task_started}, {@code events_task_undone}, V2).
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

    private static final String SQL = """
            WITH range AS (
                SELECT e.id, e.task_id, e.type, e.at,
                       date_bin(INTERVAL '%s', e.at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS start,
                       e.data ->> 'from' AS from_status,
                       e.data ->> 'to' AS to_status,
                       e.data -> 'task' ->> 'retryOf' AS retry_of,
                       e.data -> 'task' ->> 'startedAt' AS snapshot_started_at
                FROM events e
                WHERE e.type IN ('task.created', 'task.status_changed')
                  AND e.at >= $1 AND e.at < $2%s
            ),
            facts AS (
                SELECT r.start, r.type, r.from_status, r.to_status, r.retry_of,
                       CASE WHEN r.to_status = 'in_progress' THEN NOT EXISTS (
                           SELECT 1 FROM events s
                           WHERE s.task_id = r.task_id AND s.type = 'task.status_changed'
                             AND (s.data ->> 'to') = 'in_progress' AND s.id < r.id) END AS first_start,
                       CASE WHEN r.to_status = 'done' THEN extract(epoch FROM r.at - coalesce(
                           (SELECT s.at FROM events s
                            WHERE s.task_id = r.task_id AND s.type = 'task.status_changed'
                              AND (s.data ->> 'to') = 'in_progress'
                            ORDER BY s.id LIMIT 1),
                           r.snapshot_started_at::timestamptz))::float8 END AS cycle_seconds,
                       CASE WHEN r.to_status = 'done' THEN NOT EXISTS (
                           SELECT 1 FROM events u
                           WHERE u.task_id = r.task_id AND u.type = 'task.status_changed'
                             AND (u.data ->> 'from') = 'done' AND u.id > r.id) END AS kept
                FROM range r
            )
            SELECT start,
                   count(*) FILTER (WHERE type = 'task.created') AS created,
                   count(*) FILTER (WHERE first_start) AS started,
                   count(*) FILTER (WHERE to_status = 'done') AS completed,
                   count(*) FILTER (WHERE to_status = 'failed') AS failed,
                   count(*) FILTER (WHERE to_status = 'canceled') AS canceled,
                   count(*) FILTER (WHERE to_status = 'todo' AND from_status IN ('done', 'failed', 'canceled')) AS reopened,
                   count(*) FILTER (WHERE type = 'task.created' AND retry_of IS NOT NULL) AS retries,
                   count(*) FILTER (WHERE kept) AS effective,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_seconds) AS p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle_seconds) AS p90
            FROM facts
            GROUP BY GROUPING SETS ((start), ())
            """;

    /** The statement for one shape of query; filters are left out, not bound to null, so each shape plans well. */
    static String sql(VelocityQuery.BucketSize bucket, boolean byAssignee, boolean byCreator) {
        StringBuilder filters = new StringBuilder();
        int param = 3;
        if (byAssignee) {
            filters.append("\n      AND (e.data -> 'task' ->> 'assignee') = $").append(param++);
        }
        if (byCreator) {
            filters.append("\n      AND (e.data -> 'task' ->> 'createdBy') = $").append(param);
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
