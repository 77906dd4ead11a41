package dev.olympus.task;

import dev.olympus.auth.KillFence;
import dev.olympus.event.EventLog;
import dev.olympus.ratelimit.TaskCreationGuard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pgbench side of bench/run runs the statements the service sends, so that its ratios compare like with like.
 * In bench/pgbench/*.sql a line {@code -- @statement NAME} marks a statement of the service (up to a line ending in
 * {@code ;} or a {@code \gset} line); this test renders NAME from the service's own SQL, with pgbench variables in
 * place of the parameters, and fails when the file is out of step. After changing one of these statements, rewrite
 * the files: {@code ./mvnw test -Dtest=BenchStatementsTest -Dbench.statements.write=true}.
 */
class BenchStatementsTest {

    private static final Path DIR = Path.of("bench/pgbench");

    /**
     * What claim.sql's events carry: the two events of a real claim (the claimed id replaces "@id"). A space after
     * every colon: pgbench would read {@code :null} as a variable.
     */
    private static final String CLAIM_EVENTS = """
            [{"type": "task.status_changed","actor": "bench-worker","task_id": "@id","agent": null,"data": {"to": "in_progress","from": "todo","task": {"id": "@id","ready": true,"title": "bench task","usage": {"costUsd": 0,"inputTokens": 0,"outputTokens": 0},"labels": ["bench"],"result": null,"status": "in_progress","attempt": 1,"retryOf": null,"version": 2,"assignee": "bench-worker","children": {"done": 0,"open": 0,"total": 0,"failed": 0,"canceled": 0},"evidence": null,"parentId": null,"priority": "medium","createdAt": "2026-12-07T19:05:59.216669Z","createdBy": "bench-planner-4","dependsOn": [],"startedAt": "2026-12-07T19:13:05.293455Z","updatedAt": "2026-12-07T19:13:05.293455Z","leaseEpoch": 1,"rejections": 0,"reviewedBy": null,"completedAt": null,"description": null,"maxAttempts": 3,"commentCount": 0,"reviewHolder": null,"leaseExpiresAt": "2026-12-07T19:18:05.293455Z","needsAttention": false,"reviewRequired": false,"attentionReason": null,"acceptanceCriteria": [],"reviewLeaseExpiresAt": null},"claimed": true},"ord": 0},{"type": "task.assigned","actor": "bench-worker","task_id": "@id","agent": null,"data": {"to": "bench-worker","from": null,"task": {"id": "@id","ready": true,"title": "bench task","usage": {"costUsd": 0,"inputTokens": 0,"outputTokens": 0},"labels": ["bench"],"result": null,"status": "in_progress","attempt": 1,"retryOf": null,"version": 2,"assignee": "bench-worker","children": {"done": 0,"open": 0,"total": 0,"failed": 0,"canceled": 0},"evidence": null,"parentId": null,"priority": "medium","createdAt": "2026-12-07T19:05:59.216669Z","createdBy": "bench-planner-4","dependsOn": [],"startedAt": "2026-12-07T19:13:05.293455Z","updatedAt": "2026-12-07T19:13:05.293455Z","leaseEpoch": 1,"rejections": 0,"reviewedBy": null,"completedAt": null,"description": null,"maxAttempts": 3,"commentCount": 0,"reviewHolder": null,"leaseExpiresAt": "2026-12-07T19:18:05.293455Z","needsAttention": false,"reviewRequired": false,"attentionReason": null,"acceptanceCriteria": [],"reviewLeaseExpiresAt": null},"claimed": true},"ord": 1}]""";

    /** What insert-task.sql's event carries: the task.created event of a real creation. */
    private static final String CREATED_EVENT = """
            [{"type": "task.created","actor": "bench-planner","task_id": "@id","agent": null,"data": {"task": {"id": "@id","ready": true,"title": "pgbench task","usage": {"costUsd": 0,"inputTokens": 0,"outputTokens": 0},"labels": ["bench"],"result": null,"status": "todo","attempt": 1,"retryOf": null,"version": 1,"assignee": null,"children": {"done": 0,"open": 0,"total": 0,"failed": 0,"canceled": 0},"evidence": null,"parentId": null,"priority": "medium","createdAt": "2026-12-07T19:24:33.654293Z","createdBy": "bench-planner","dependsOn": [],"startedAt": null,"updatedAt": "2026-12-07T19:24:33.654293Z","leaseEpoch": 0,"rejections": 0,"reviewedBy": null,"completedAt": null,"description": null,"maxAttempts": 3,"commentCount": 0,"reviewHolder": null,"leaseExpiresAt": null,"needsAttention": false,"reviewRequired": false,"attentionReason": null,"acceptanceCriteria": [],"reviewLeaseExpiresAt": null}},"ord": 0}]""";

    /** The orchestrator of an insert-task.sql client; the check below uses bench/run's guard rails (bench/lib.sh). */
    private static final String CREATOR = "('bench-planner-' || :creator)";

    private static Map<String, String> statements() {
        TaskFilter byAssignee = new TaskFilter(List.of("bench-worker"), List.of(), List.of(), List.of(), null, null,
                List.of(), null, null, null, null, null, 50);
        TaskRepository.Statement list = TaskRepository.listStatement(byAssignee);
        assertThat(list.params()).containsExactly("bench-worker");
        String title = "'pgbench ' || :n || '-' || :client_id";
        return Map.ofEntries(
                Map.entry("guard-lock", TaskCreationGuard.LOCK.replace("$1", Integer.toString(TaskCreationGuard.CREATOR_LOCK))
                        .replace("$2", "(:creator)")),
                Map.entry("guard-check", TaskCreationGuard.check(Duration.ofSeconds(1), 100_000_000, Duration.ofMinutes(10), true)
                        .replace("$1", CREATOR).replace("$2", "(" + title + ")")),
                Map.entry("insert", TaskWrites.INSERT_ALL.replace("$1", "('[{\"title\": \"' || " + title
                        + " || '\", \"priority\": \"medium\", \"labels\": [\"bench\"], \"maxAttempts\": 3, "
                        + "\"reviewRequired\": false, \"criteria\": []}]')").replace("$2", CREATOR)),
                Map.entry("append-created", EventLog.APPEND.replace("$1::jsonb",
                        "replace('" + CREATED_EVENT + "', '\"@id\"', (:id)::text)::jsonb")),
                Map.entry("find", TaskRepository.FIND.replace("$1", ":id")),
                Map.entry("list", list.sql().replace("$1", "('bench-worker-' || :agent)")),
                Map.entry("kill-fence", KillFence.SHARED.replace("$1", Long.toString(KillFence.NAMESPACE << 32))
                        .replace("$2", "(:agent)")),
                Map.entry("claim", TaskWrites.CLAIM_NARROWED.replace("$1", "(:agent)::bigint")
                        .replace("$2", Long.toString(WipLimits.NAMESPACE << 32)).replace("$3", "300")
                        .replace("$4", "ARRAY['bench']")),
                Map.entry("append", EventLog.APPEND.replace("$1::jsonb",
                        "replace('" + CLAIM_EVENTS + "', '\"@id\"', (:id)::text)::jsonb")));
    }

    @Test
    void pgbenchRunsTheServiceStatements() throws IOException {
        boolean write = Boolean.getBoolean("bench.statements.write");
        Map<String, String> expected = statements();
        List<String> checked = new ArrayList<>();
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                List<String> rewritten = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    rewritten.add(lines.get(i));
                    if (!lines.get(i).startsWith("-- @statement ")) {
                        continue;
                    }
                    String name = lines.get(i).substring("-- @statement ".length()).trim();
                    assertThat(expected).as("statement names known to this test").containsKey(name);
                    int end = i + 1;
                    while (end < lines.size() && !lines.get(end).equals("\\gset") && !lines.get(end).endsWith(";")) {
                        end++;
                    }
                    boolean gset = end < lines.size() && lines.get(end).equals("\\gset");
                    String found = String.join("\n", lines.subList(i + 1, gset ? end : end + 1));
                    String want = expected.get(name).strip();
                    if (write) {
                        rewritten.add(gset ? want : want + ";");
                    } else {
                        assertThat(normalized(found)).as("%s in %s (rewrite with -Dbench.statements.write=true)", name, file)
                                .isEqualTo(normalized(want));
                    }
                    checked.add(name);
                    i = gset ? end - 1 : end;
                }
                if (write) {
                    Files.write(file, rewritten);
                }
            }
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    private static String normalized(String sql) {
        return sql.replaceAll("\\s+", " ").replaceAll(";$", "").strip();
    }
}
