package dev.olympus.ratelimit;

import dev.olympus.auth.Caller;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The rules a new task must pass, checked in the creating transaction so that they hold across all instances:
 * <ol>
 *   <li>the creation budget: at most {@code olympus.tasks.create-budget-per-minute} tasks per agent in any
 *       sliding {@code olympus.tasks.create-budget-window} (429 {@code rate-limited} with an honest Retry-After);</li>
 *   <li>the backlog cap: at most {@code olympus.tasks.max-open-per-creator} open tasks per creator (429
 *       {@code backlog-full});</li>
 *   <li>no duplicates: no open task of the same creator, created within {@code olympus.tasks.duplicate-window},
 *       with the same normalised title (409 {@code duplicate-task} with {@code existingTaskId}).</li>
 * </ol>
 *
 * <p>Race-freedom: the checks run after a transaction-scoped advisory lock on the creator, in a statement of
 * their own (in READ COMMITTED each statement sees what committed before it started, so the check sees every
 * task the previous lock holder committed). One creator's creations are therefore serialised across instances;
 * different creators never wait for each other. The lock is released at commit, after the insert is visible.
 *
 * <p>Why the budget counts {@code created_at > now() - window} without an upper bound: {@code created_at} is the
 * transaction's start, and a transaction that waited for the lock may insert an earlier timestamp than one that
 * committed before it. Counting every row newer than the new task's own {@code now() - window} still proves that
 * no window of that length ever holds more than the budget (the last task admitted into any window saw all the
 * others).
 */
@ApplicationScoped
public class TaskCreationGuard {

    /** The name of the creation budget in the RateLimit fields. */
    public static final String POLICY_NAME = "task-create";

    /** Class id of the per-creator advisory lock (the object id is the agent id): "OLCR". */
    public static final int CREATOR_LOCK = 0x4f4c4352;

    static final String BUDGET_STATE = TaskCreationGuard.class.getName() + ".budget";

    private static final String OPEN = "('todo', 'in_progress', 'in_review', 'blocked')";

    private static final String CHECK = """
            WITH recent AS (
                SELECT created_at FROM tasks
                WHERE created_by = $1 AND created_at > now() - make_interval(secs => $2)
                ORDER BY created_at DESC LIMIT $3)
            SELECT (SELECT count(*) FROM recent) AS used,
                   (SELECT extract(epoch FROM min(created_at) + make_interval(secs => $2) - clock_timestamp())::float8
                    FROM recent) AS frees_in,
                   (SELECT count(*) FROM (SELECT 1 FROM tasks WHERE created_by = $1 AND status IN %1$s LIMIT $4) o) AS open,
                   (SELECT id FROM tasks
                    WHERE created_by = $1 AND title_key = task_title_key($5) AND status IN %1$s
                      AND created_at > now() - make_interval(secs => $6)
                    ORDER BY id DESC LIMIT 1) AS duplicate
            """.formatted(OPEN);

    /** The creator's budget after this request, for the {@code RateLimit} field of the response. */
    public record BudgetState(String policyItem, long remaining, long resetSeconds) {
        public String limitItem() {
            return RateLimitHeaders.limit(POLICY_NAME, remaining, resetSeconds);
        }
    }

    private final int budget;
    private final Duration budgetWindow;
    private final int maxOpen;
    private final Duration duplicateWindow;
    private final String policyItem;

    public TaskCreationGuard(TaskCreationConfig config) {
        this.budget = Math.max(1, config.createBudgetPerMinute());
        this.budgetWindow = config.createBudgetWindow().toSeconds() < 1 ? Duration.ofSeconds(1) : config.createBudgetWindow();
        this.maxOpen = Math.max(1, config.maxOpenPerCreator());
        this.duplicateWindow = config.duplicateWindow();
        this.policyItem = RateLimitHeaders.policy(POLICY_NAME, this.budget, this.budgetWindow.toSeconds());
    }

    /**
     * Admits a new task of {@code creator} titled {@code title}, or fails with the problem that refuses it.
     * Call it inside the creating transaction, before the insert.
     */
    public Uni<Void> admit(SqlConnection conn, Caller creator, String title) {
        int agentKey = (int) (creator.agentId() ^ (creator.agentId() >>> 32));
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1, $2)").execute(Tuple.of(CREATOR_LOCK, agentKey))
                .chain(() -> conn.preparedQuery(CHECK).execute(Tuple.of(creator.name(), seconds(budgetWindow), budget,
                        maxOpen, title, seconds(duplicateWindow))))
                .invoke(rows -> decide(rows.iterator().next()))
                .replaceWithVoid();
    }

    private void decide(Row row) {
        long used = row.getLong("used");
        Double freesIn = row.getDouble("frees_in");
        long open = row.getLong("open");
        Long duplicate = row.getLong("duplicate");
        long window = budgetWindow.toSeconds();
        if (used >= budget) {
            long retryAfter = Math.max(1, (long) Math.ceil(freesIn == null ? window : freesIn));
            remember(new BudgetState(policyItem, 0, retryAfter));
            throw new ProblemException(429, ProblemCode.RATE_LIMITED, "Too many requests",
                    "Task creation budget used up: at most " + budget + " tasks per " + window
                            + " s per agent. Retry in " + retryAfter + " s.")
                    .with("retryAfterSeconds", retryAfter)
                    .header(RateLimitHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        if (open >= maxOpen) {
            throw new ProblemException(429, ProblemCode.BACKLOG_FULL, "Backlog full",
                    "You have " + open + " open tasks, the most one creator may have. Wait until some are done, "
                            + "or cancel the ones no longer needed, before creating more.")
                    .with("openTasks", open).with("maxOpen", maxOpen);
        }
        if (duplicate != null) {
            throw ProblemException.conflict(ProblemCode.DUPLICATE_TASK, "Duplicate task",
                            "You already have open task " + duplicate + " with the same title; use it instead.")
                    .with("existingTaskId", duplicate);
        }
        // After this insert: one fewer left; the oldest task in the window frees a slot when it leaves it.
        long reset = used == 0 ? window : Math.max(1, (long) Math.ceil(freesIn));
        remember(new BudgetState(policyItem, budget - used - 1, reset));
    }

    /** Leaves the budget state on the request's (duplicated) Vert.x context, for the response's RateLimit field. */
    private static void remember(BudgetState state) {
        Context context = Vertx.currentContext();
        if (context != null && VertxContext.isDuplicatedContext(context)) {
            context.putLocal(BUDGET_STATE, state);
        }
    }

    static BudgetState recalled() {
        Context context = Vertx.currentContext();
        if (context != null && VertxContext.isDuplicatedContext(context)) {
            return context.getLocal(BUDGET_STATE);
        }
        return null;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
