package dev.olympus.metrics;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/**
 * Refreshes the state gauges ({@code olympus_tasks}, {@code olympus_tasks_attention}, {@code olympus_agents},
 * {@code olympus_questions_open}) from one
 * query every {@code olympus.metrics.refresh-interval}, so that a scrape never waits for the database. Every instance
 * reports the same database-wide numbers: aggregate them with {@code max}, not {@code sum}.
 */
@ApplicationScoped
public class StateGauges {

    /** Group counts only: index-only scans of tasks_status_order and a scan of the small agents table. */
    static final String COUNTS = """
            SELECT 'status' AS kind, status AS key, count(*) AS n FROM tasks GROUP BY status
            UNION ALL
            SELECT 'attention', attention_reason, count(*) FROM tasks WHERE needs_attention GROUP BY attention_reason
            UNION ALL
            SELECT 'agent', state, count(*) FROM agents GROUP BY state
            UNION ALL
            SELECT 'question', to_kind, count(*) FROM questions WHERE state = 'open' GROUP BY to_kind
            """;

    private final Pool pool;
    private final OlympusMetrics metrics;

    public StateGauges(Pool pool, OlympusMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    @Scheduled(every = "${olympus.metrics.refresh-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return refresh().onFailure().recoverWithUni(e -> {
            // The gauges keep their last values; the readiness check reports the database itself.
            Log.debugf("Could not refresh the state gauges: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Reads the counts and sets the gauges. */
    public Uni<Void> refresh() {
        return pool.query(COUNTS).execute().invoke(rows -> {
            Map<String, Long> statuses = new HashMap<>();
            Map<String, Long> reasons = new HashMap<>();
            Map<String, Long> states = new HashMap<>();
            Map<String, Long> questions = new HashMap<>();
            for (Row row : rows) {
                String key = row.getString("key");
                if (key == null) {
                    continue;
                }
                switch (row.getString("kind")) {
                    case "status" -> statuses.put(key, row.getLong("n"));
                    case "attention" -> reasons.put(key, row.getLong("n"));
                    case "question" -> questions.put(key, row.getLong("n"));
                    default -> states.put(key, row.getLong("n"));
                }
            }
            metrics.taskCounts(statuses, reasons, states);
            metrics.openQuestions(questions);
        }).replaceWithVoid();
    }
}
