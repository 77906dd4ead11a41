package dev.olympus.agent;

import dev.olympus.auth.Caller;
import dev.olympus.db.Rows;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.task.LeaseConfig;
import dev.olympus.task.TaskWrites;
import dev.olympus.web.ProblemCode;
import dev.olympus.usage.Usage;
import dev.olympus.usage.UsageConfig;
import dev.olympus.usage.UsageRecorder;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;

/**
 * Heartbeats: agent liveness, kept apart from task leases. A heartbeat upserts the agent's row in
 * {@code agent_heartbeats} (never the agents row, so frequent heartbeats contend with nothing), then brings an
 * unresponsive agent back to active, renews the lease of the task it names (the work it holds, or the review it
 * holds) and answers (once) the tasks it held that were canceled since its previous heartbeat. No event per
 * heartbeat; only a recovery leaves one ({@code agent.recovered}), in the same transaction.
 */
@ApplicationScoped
public class HeartbeatService {

    /** $1 agent id, $2 status, $3 task id, $4 note. */
    private static final String UPSERT = """
            INSERT INTO agent_heartbeats AS h (agent_id, last_at, status, task_id, note)
            VALUES ($1, now(), $2, $3, $4)
            ON CONFLICT (agent_id) DO UPDATE
            SET last_at = excluded.last_at, status = excluded.status, task_id = excluded.task_id, note = excluded.note
            """;

    /*
     * A separate statement after the upsert, so a new snapshot: if the upsert waited for the scheduler (which locks
     * the heartbeat row it judges), this one sees the scheduler's verdict and undoes it. The named task's lease is
     * renewed whichever the caller holds: the work (in_progress, assignee) or the review (in_review, review holder);
     * the two exclude each other, so at most one of the renewals writes the row.
     * $1 agent id, $2 task id, $3 lease seconds, $4 agent name, $5 lease epoch (null: any).
     */
    private static final String AFTER = """
            WITH recovered AS (
                UPDATE agents SET state = 'active', state_reason = NULL
                WHERE id = $1 AND state = 'unresponsive'
                RETURNING name),
            renewed_work AS (%s),
            renewed_review AS (%s),
            renewed AS (SELECT lease_expires_at FROM renewed_work UNION ALL SELECT lease_expires_at FROM renewed_review),
            canceled AS (%s)
            SELECT now() AS server_time,
                   h.last_at + make_interval(secs => a.heartbeat_interval_seconds) AS next_due,
                   EXISTS (SELECT 1 FROM recovered) AS recovered,
                   (SELECT lease_expires_at FROM renewed) AS lease_expires_at,
                   $2::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = $2) AS task_exists,
                   %s AS task_canceled,
                   ARRAY(SELECT task_id FROM canceled ORDER BY task_id) AS canceled_task_ids
            FROM agents a JOIN agent_heartbeats h ON h.agent_id = a.id
            WHERE a.id = $1
            """.formatted(TaskWrites.HEARTBEAT_RENEWAL, TaskWrites.heartbeatReviewRenewal(), TaskWrites.HEARTBEAT_CANCELED,
                    TaskWrites.canceledUnder("$2", "$4"));

    private final Transactions transactions;
    private final LeaseConfig leases;
    private final UsageRecorder usage;
    private final UsageConfig usageLimits;

    public HeartbeatService(Transactions transactions, LeaseConfig leases, UsageRecorder usage, UsageConfig usageLimits) {
        this.transactions = transactions;
        this.leases = leases;
        this.usage = usage;
        this.usageLimits = usageLimits;
    }

    /**
     * Records a heartbeat. Liveness is recorded even when the named task's lease cannot be renewed; that case then
     * answers 409 {@code lease-lost} (the caller no longer holds the task: stop working on it), or 404 when the task
     * does not exist.
     */
    public Uni<Heartbeat> beat(Caller caller, HeartbeatRequest request) {
        HeartbeatRequest beat = request == null ? new HeartbeatRequest(null, null, null, null, null) : request;
        Usage reported = Usage.parse(beat.usage(), "usage", usageLimits);
        // Usage first, in its own transaction (see UsageRecorder: budget locks before task locks).
        return usage.record(caller, beat.taskId(), reported).chain(() -> transactions.inTransaction(tx -> tx.conn().preparedQuery(UPSERT)
                        .execute(Tuple.from(Arrays.asList(caller.agentId(), beat.status(), beat.taskId(), beat.note())))
                        .chain(() -> tx.conn().preparedQuery(AFTER).execute(Tuple.from(Arrays.asList(caller.agentId(),
                                beat.taskId(), LeaseConfig.seconds(leases.duration()), caller.name(), beat.leaseEpoch()))))
                        .map(rows -> {
                            if (rows.rowCount() == 0) {
                                throw ProblemException.unauthorized("The calling agent no longer exists.");
                            }
                            Row row = rows.iterator().next();
                            if (row.getBoolean("recovered")) {
                                tx.emit(NewEvent.agent(EventType.AGENT_RECOVERED, caller.name(), caller.name(),
                                        new JsonObject().put("heartbeatAt", Rows.instant(row, "server_time").toString())));
                            }
                            return row;
                        })))
                // Committed: liveness counts whatever the task's answer is.
                .map(row -> {
                    Heartbeat answer = new Heartbeat(Rows.instant(row, "server_time"), Rows.instant(row, "next_due"),
                            beat.taskId(), Rows.instant(row, "lease_expires_at"), Rows.longs(row, "canceled_task_ids"));
                    if (beat.taskId() != null && answer.leaseExpiresAt() == null) {
                        if (!row.getBoolean("task_exists")) {
                            throw ProblemException.notFound("Task " + beat.taskId());
                        }
                        if (row.getBoolean("task_canceled")) {
                            throw ProblemException.conflict(ProblemCode.TASK_CANCELED, "Task canceled",
                                    "The heartbeat was recorded, but task " + beat.taskId()
                                            + " was canceled: stop working on it (its comments say why).")
                                    .with("taskId", beat.taskId());
                        }
                        throw ProblemException.conflict(ProblemCode.LEASE_LOST, "Lease lost",
                                "The heartbeat was recorded, but you do not hold task " + beat.taskId()
                                        + " (not in progress with you as assignee, or a newer lease epoch; nor in review with you holding"
                                        + " its review): stop working on it.")
                                .with("taskId", beat.taskId());
                    }
                    return answer;
                });
    }
}
