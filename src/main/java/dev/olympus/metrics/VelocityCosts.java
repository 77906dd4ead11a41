package dev.olympus.metrics;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost side of velocity, from {@code usage_reports}: cost reported in each bucket and in total (exact numeric
 * sums), and the part of it spent on tasks that are now failed or canceled. The {@code assignee} filter is the agent
 * that reported; {@code createdBy} the creator of the task the usage was reported on (usage without a task has none).
 */
@ApplicationScoped
public class VelocityCosts {

    /** Cost of one bucket (start set) or of the total (start null). */
    record Cost(Instant start, BigDecimal cost, BigDecimal failedCost) {
        static final Cost NONE = new Cost(null, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    record Result(Map<Instant, Cost> buckets, Cost total) {}

    /** Scale of derived money and shares: the wire's 6 decimals, rounded half-even. */
    static final int SCALE = 6;

    private static final String SQL = """
            SELECT date_bin(INTERVAL '%s', r.reported_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS start,
                   coalesce(sum(r.cost_usd), 0) AS cost,
                   coalesce(sum(r.cost_usd) FILTER (WHERE t.status IN ('failed', 'canceled')), 0) AS failed_cost
            FROM usage_reports r LEFT JOIN tasks t ON t.id = r.task_id
            WHERE r.reported_at >= $1 AND r.reported_at < $2%s
            GROUP BY GROUPING SETS ((1), ())
            """;

    static String sql(VelocityQuery.BucketSize bucket, boolean byAgent, boolean byCreator) {
        StringBuilder filters = new StringBuilder();
        int param = 3;
        if (byAgent) {
            filters.append(" AND r.agent_id = (SELECT id FROM agents WHERE name = $").append(param++).append(")");
        }
        if (byCreator) {
            filters.append(" AND t.created_by = $").append(param);
        }
        return SQL.formatted(bucket == VelocityQuery.BucketSize.HOUR ? "1 hour" : "1 day", filters);
    }

    public Uni<Result> costs(SqlClient client, VelocityQuery query) {
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
                    Map<Instant, Cost> buckets = new HashMap<>();
                    Cost total = Cost.NONE;
                    for (Row row : rows) {
                        Cost cost = new Cost(Rows.instant(row, "start"), row.getBigDecimal("cost"), row.getBigDecimal("failed_cost"));
                        if (cost.start() == null) {
                            total = cost;
                        } else {
                            buckets.put(cost.start(), cost);
                        }
                    }
                    return new Result(buckets, total);
                });
    }

    /** part / whole at 6 decimals (half-even), stripped; null when whole is 0. */
    static BigDecimal divide(BigDecimal part, BigDecimal whole) {
        if (whole.signum() == 0) {
            return null;
        }
        return dev.olympus.usage.UsageTotals.money(part.divide(whole, SCALE, RoundingMode.HALF_EVEN));
    }
}
