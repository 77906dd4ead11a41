package dev.olympus.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Usage meters at {@code /q/metrics}:
 * <ul>
 *   <li>{@code olympus_usage_tokens_total{agent,kind="input"|"output"}} and {@code olympus_usage_cost_usd_total{agent}}:
 *       what this instance recorded (sum across instances);</li>
 *   <li>{@code olympus_budget_used_ratio{scope="system"|"agent",agent}}: spent / budget of the current period, read
 *       from the database every {@code olympus.metrics.refresh-interval} (the same on every instance: use max).</li>
 * </ul>
 * Prometheus numbers are floating point: they are for dashboards and alerts; the exact amounts are in the API.
 */
@ApplicationScoped
public class UsageMetrics {

    private final MeterRegistry registry;
    private final Pool pool;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> ratios = new ConcurrentHashMap<>();

    UsageMetrics(MeterRegistry registry, Pool pool) {
        this.registry = registry;
        this.pool = pool;
    }

    /** A report of {@code agent} was committed. */
    void recorded(String agent, Usage usage) {
        tokens(agent, "input").increment(usage.inputTokens());
        tokens(agent, "output").increment(usage.outputTokens());
        counters.computeIfAbsent("cost/" + agent, k -> Counter.builder("olympus.usage.cost.usd")
                .description("Cost in USD reported by agents (recorded on this instance)")
                .tag("agent", agent).register(registry)).increment(usage.costUsd().doubleValue());
    }

    private Counter tokens(String agent, String kind) {
        return counters.computeIfAbsent("tokens/" + kind + "/" + agent, k -> Counter.builder("olympus.usage.tokens")
                .description("Tokens reported by agents (recorded on this instance)")
                .tag("agent", agent).tag("kind", kind).register(registry));
    }

    @Scheduled(every = "${olympus.metrics.refresh-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshBudgets() {
        return pool.query("""
                        SELECT coalesce(a.name, '') AS agent, b.agent_id IS NULL AS system,
                               CASE WHEN b.period_start < date_trunc(b.period, now(), 'UTC') THEN 0
                                    ELSE b.spent_usd / b.cost_usd END::float8 AS ratio
                        FROM budgets b LEFT JOIN agents a ON a.id = b.agent_id
                        """)
                .execute()
                .invoke(rows -> {
                    ratios.values().forEach(ratio -> ratio.set(Double.NaN));
                    for (Row row : rows) {
                        String scope = row.getBoolean("system") ? "system" : "agent";
                        String agent = row.getString("agent");
                        ratios.computeIfAbsent(scope + "/" + agent, k -> {
                            AtomicReference<Double> ratio = new AtomicReference<>(Double.NaN);
                            Gauge.builder("olympus.budget.used.ratio", ratio, AtomicReference::get)
                                    .description("Spent / budget in the current period (NaN: the budget was removed)")
                                    .tag("scope", scope).tag("agent", agent).register(registry);
                            return ratio;
                        }).set(row.getDouble("ratio"));
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    Log.debugf("Could not refresh the budget gauges: %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }
}
