package dev.olympus.task;

import dev.olympus.db.Transactions;
import dev.olympus.wait.CommitWatch;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a commit from waking every waiting claim into a claim transaction: after each commit, ONE query says which
 * of the agents waiting here may have something to claim (a ready todo task assigned to them, or unassigned and
 * matching their capabilities) or are paused (their wait ends), and only their waiters attempt the claim. The
 * query is a superset of the claim's rules (it ignores label narrowing and the WIP limit): a waiter it lets through
 * in vain costs one claim that finds nothing, never a missed task. If the query fails, everyone attempts.
 */
@ApplicationScoped
class ClaimGate {

    private static final String CANDIDATES = """
            SELECT a.id FROM agents a
            WHERE a.id = ANY($1) AND (a.state = 'paused' OR EXISTS (
                SELECT 1 FROM tasks t
                WHERE t.status = 'todo'
                  AND (t.assignee = a.name
                       OR (t.assignee IS NULL
                           AND (cardinality(a.capabilities) = 0 OR cardinality(t.labels) = 0 OR t.labels && a.capabilities)))
                  AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                                  WHERE d.task_id = t.id AND p.status <> 'done')))""";

    private record Round(long generation, Uni<Set<Long>> candidates) {}

    private final Transactions transactions;
    private final CommitWatch commits;
    private final ConcurrentHashMap<Long, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Round> round = new AtomicReference<>(new Round(-1, null));

    ClaimGate(Transactions transactions, CommitWatch commits) {
        this.transactions = transactions;
        this.commits = commits;
    }

    // Before LongPoll registers its wake-up (default priority): a commit is counted before its waiters attempt.
    void start(@Observes @Priority(1200) StartupEvent event) {
        commits.listen(generation::incrementAndGet);
    }

    void enter(long agentId) {
        waiting.computeIfAbsent(agentId, id -> new AtomicInteger()).incrementAndGet();
    }

    void leave(long agentId) {
        waiting.computeIfPresent(agentId, (id, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Whether a waiter of {@code agentId} should attempt the claim after the latest commit seen. */
    Uni<Boolean> worthTrying(long agentId) {
        long current = generation.get();
        Round seen = round.get();
        if (seen.generation() != current) {
            Round fresh = new Round(current, candidates().memoize().indefinitely());
            seen = round.compareAndSet(seen, fresh) ? fresh : round.get();
        }
        return seen.candidates().map(ids -> ids.contains(agentId));
    }

    private Uni<Set<Long>> candidates() {
        Long[] ids = waiting.keySet().toArray(Long[]::new);
        return transactions.pool().preparedQuery(CANDIDATES).execute(Tuple.of(ids))
                .map(rows -> {
                    Set<Long> found = new HashSet<>();
                    rows.forEach(row -> found.add(row.getLong(0)));
                    return (Set<Long>) found;
                })
                .onFailure().recoverWithItem(() -> Set.copyOf(waiting.keySet()));
    }
}
