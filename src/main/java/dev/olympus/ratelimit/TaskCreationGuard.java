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

    /** The creator's lock: $1 {@link #CREATOR_LOCK}, $2 the agent id folded into an int. */
    public static final String LOCK = "SELECT pg_advisory_xact_lock($1, $2)";

    static final String BUDGET_STATE = TaskCreationGuard.class.getName() + ".budget";

    private static final String OPEN = "('todo', 'in_progress', 'in_review', 'blocked')";

    // `open` sums the creator's counters (creator_open_tasks, migration V16: kept by triggers in every transaction
    // that opens or closes a task), at most 16 rows whatever the cap. A closing not yet committed still counts (the
    // check refuses a little early, never late); the creator's own earlier creations committed before its lock.
    // Parameters: $1 the creator, $2 the titles. The settings are written into the statement (check(...)): bound as
    // parameters, a window or a LIMIT of unknown size made PostgreSQL's generic plan look dearer than a custom one,
    // so it planned the statement afresh on every creation (0.77 ms, more than it took to run).
    private static final String CHECK = """
            WITH recent AS (
                SELECT created_at FROM tasks
                WHERE created_by = $1 AND created_at > now() - make_interval(secs => %2$s)
                ORDER BY created_at DESC LIMIT %3$d)
            SELECT (SELECT count(*) FROM recent) AS used,
                   (SELECT extract(epoch FROM min(created_at) + make_interval(secs => %2$s) - clock_timestamp())::float8
                    FROM recent) AS frees_in,
                   (SELECT coalesce(sum(open), 0) FROM creator_open_tasks WHERE created_by = $1) AS open,
                   %4$s
            """;

    /** Duplicates among several titles ($2 text[]): the first title that has an open twin, and twins in the batch. */
    private static final String DUPLICATES = """
            (SELECT ARRAY[t.id, n.ord] FROM unnest($2::text[]) WITH ORDINALITY AS n(title, ord)
                    JOIN tasks t ON t.created_by = $1 AND t.title_key = task_title_key(n.title) AND t.status IN %1$s
                                AND t.created_at > now() - make_interval(secs => %2$s)
                    ORDER BY n.ord, t.id DESC LIMIT 1) AS duplicate,
                   (SELECT ARRAY[min(ord), max(ord)] FROM unnest($2::text[]) WITH ORDINALITY AS n(title, ord)
                    GROUP BY task_title_key(n.title) HAVING count(*) > 1 ORDER BY max(ord) LIMIT 1) AS twin""";

    /**
     * The duplicate of one title ($2 text): the single task's check, the hot one. (With {@code unnest} of an array
     * parameter the generic plan assumes ten titles and looks dearer than any custom plan, so PostgreSQL planned the
     * statement afresh on every creation.)
     */
    private static final String DUPLICATE = """
            (SELECT ARRAY[t.id, 1] FROM tasks t
                    WHERE t.created_by = $1 AND t.title_key = task_title_key($2) AND t.status IN %1$s
                      AND t.created_at > now() - make_interval(secs => %2$s)
                    ORDER BY t.id DESC LIMIT 1) AS duplicate,
                   NULL::bigint[] AS twin""";

    /**
     * The guard's check for these settings, for one title ($2 text) or several ($2 text[]). (bench/pgbench/insert-task.sql
     * runs the one-title check too; BenchStatementsTest keeps it in step.)
     */
    public static String check(Duration budgetWindow, int budget, Duration duplicateWindow, boolean oneTitle) {
        String duplicates = (oneTitle ? DUPLICATE : DUPLICATES).formatted(OPEN, seconds(duplicateWindow));
        return CHECK.formatted(OPEN, seconds(budgetWindow), budget, duplicates);
    }

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
    private final String checkOne;
    private final String checkMany;

    public TaskCreationGuard(TaskCreationConfig config) {
        this.budget = Math.max(1, config.createBudgetPerMinute());
        this.budgetWindow = config.createBudgetWindow().toSeconds() < 1 ? Duration.ofSeconds(1) : config.createBudgetWindow();
        this.maxOpen = Math.max(1, config.maxOpenPerCreator());
        this.duplicateWindow = config.duplicateWindow();
        this.policyItem = RateLimitHeaders.policy(POLICY_NAME, this.budget, this.budgetWindow.toSeconds());
        this.checkOne = check(this.budgetWindow, this.budget, this.duplicateWindow, true);
        this.checkMany = check(this.budgetWindow, this.budget, this.duplicateWindow, false);
    }

    /**
     * Admits a new task of {@code creator} titled {@code title}, or fails with the problem that refuses it.
     * Call it inside the creating transaction, before the insert.
     */
    public Uni<Void> admit(SqlConnection conn, Caller creator, String title) {
        return admit(conn, creator, java.util.List.of(title));
    }

    /**
     * Admits {@code titles.size()} new tasks at once (a plan): the budget and the backlog cap must take them all,
     * and none may duplicate an open task of the creator or another task of the same batch. A refusal names the
     * batch index ({@code taskIndex}, 0-based) of the offending title.
     */
    public Uni<Void> admit(SqlConnection conn, Caller creator, java.util.List<String> titles) {
        int agentKey = (int) (creator.agentId() ^ (creator.agentId() >>> 32));
        // Sent together (one round trip): the check runs after the lock is granted, in a snapshot taken then.
        return Uni.combine().all().unis(
                        conn.preparedQuery(LOCK).execute(Tuple.of(CREATOR_LOCK, agentKey)),
                        titles.size() == 1
                                ? conn.preparedQuery(checkOne).execute(Tuple.of(creator.name(), titles.getFirst()))
                                : conn.preparedQuery(checkMany).execute(Tuple.of(creator.name(), titles.toArray(String[]::new))))
                .with((locked, rows) -> rows)
                .invoke(rows -> decide(rows.iterator().next(), titles.size()))
                .replaceWithVoid();
    }

    private void decide(Row row, int count) {
        long used = row.getLong("used");
        Double freesIn = row.getDouble("frees_in");
        long open = row.getLong("open");
        Long[] duplicate = row.getArrayOfLongs("duplicate");
        Long[] twin = row.getArrayOfLongs("twin");
        long window = budgetWindow.toSeconds();
        if (count > 1 && used + count > budget) {
            long retryAfter = count > budget ? window : Math.max(1, (long) Math.ceil(freesIn == null ? window : freesIn));
            remember(new BudgetState(policyItem, Math.max(0, budget - used), retryAfter));
            throw new ProblemException(429, ProblemCode.RATE_LIMITED, "Too many requests",
                    "Task creation budget too small for " + count + " tasks: " + (budget - used) + " of " + budget
                            + " left in this " + window + " s window; nothing was created.")
                    .with("retryAfterSeconds", retryAfter).with("remaining", budget - used).with("requested", count)
                    .header(RateLimitHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        if (used >= budget) {
            long retryAfter = Math.max(1, (long) Math.ceil(freesIn == null ? window : freesIn));
            remember(new BudgetState(policyItem, 0, retryAfter));
            throw new ProblemException(429, ProblemCode.RATE_LIMITED, "Too many requests",
                    "Task creation budget used up: at most " + budget + " tasks per " + window
                            + " s per agent. Retry in " + retryAfter + " s.")
                    .with("retryAfterSeconds", retryAfter)
                    .header(RateLimitHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        if (open + count > maxOpen) {
            throw new ProblemException(429, ProblemCode.BACKLOG_FULL, "Backlog full",
                    "You have " + open + " open tasks, the most one creator may have. Wait until some are done, "
                            + "or cancel the ones no longer needed, before creating more.")
                    .with("openTasks", open).with("maxOpen", maxOpen);
        }
        if (duplicate != null) {
            ProblemException problem = ProblemException.conflict(ProblemCode.DUPLICATE_TASK, "Duplicate task",
                            "You already have open task " + duplicate[0] + " with the same title"
                                    + (count > 1 ? " as tasks[" + (duplicate[1] - 1) + "]" : "") + "; use it instead.")
                    .with("existingTaskId", duplicate[0]);
            throw count > 1 ? problem.with("taskIndex", duplicate[1] - 1) : problem;
        }
        if (twin != null) {
            throw ProblemException.conflict(ProblemCode.DUPLICATE_TASK, "Duplicate task",
                            "tasks[" + (twin[0] - 1) + "] and tasks[" + (twin[1] - 1) + "] have the same title.")
                    .with("taskIndex", twin[1] - 1).with("duplicateOfIndex", twin[0] - 1);
        }
        // After this insert: fewer left; the oldest task in the window frees a slot when it leaves it.
        long reset = used == 0 ? window : Math.max(1, (long) Math.ceil(freesIn));
        remember(new BudgetState(policyItem, budget - used - count, reset));
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

    /** Seconds as a SQL numeric literal (millisecond precision, never in exponent notation). */
    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).toPlainString();
    }
}
