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
import java.util.HashMap;
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

    public Uni<Result> costs(SqlClient client, VelocityQuery query) {
        String sql = SQL.formatted(query.interval(),
                query.filters("r.agent_id = (SELECT id FROM agents WHERE name = %s)", "t.created_by = %s"));
        return client.preparedQuery(sql)
                .execute(Tuple.from(query.params()))
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
