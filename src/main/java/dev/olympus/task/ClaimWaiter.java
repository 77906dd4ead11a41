package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.system.Freeze;
import dev.olympus.wait.LongPoll;
import dev.olympus.wait.LongPoll.Attempt;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The waiting claim ({@code POST /tasks/claim?wait=}): the ordinary {@link ClaimService#claim} at once, then again
 * after every commit on any instance until it finds a task or the wait ends (204). A freeze ends the wait with 204
 * for non-operators, a pause of the caller with 204 too; a kill with 403 {@code agent-killed} (see {@link LongPoll}).
 *
 * <p>A claim answered 200 has claimed the task. When the client is gone before the answer is written (the
 * connection closed while waiting, or before the response ended), the task is given back at once by
 * {@link UndeliveredClaims}: todo again, new lease epoch, as a requeue after an expired lease would do it.
 * An answer lost after it was handed to the network is covered by the ordinary lease expiry.
 */
@ApplicationScoped
public class ClaimWaiter {

    private final ClaimService claims;
    private final LongPoll polls;
    private final Freeze freeze;
    private final UndeliveredClaims undelivered;
    private final Transactions transactions;
    private final ClaimGate gate;

    public ClaimWaiter(ClaimService claims, LongPoll polls, Freeze freeze, UndeliveredClaims undelivered,
                       Transactions transactions, ClaimGate gate) {
        this.transactions = transactions;
        this.gate = gate;
        this.claims = claims;
        this.polls = polls;
        this.freeze = freeze;
        this.undelivered = undelivered;
    }

    /** Claims at once ({@code wait} null) or waits up to {@code wait}; null: nothing claimed. */
    public Uni<Task> claim(Caller caller, List<String> labels, Duration wait) {
        if (wait == null) {
            return claims.claim(caller, labels);
        }
        return Uni.createFrom().deferred(() -> {
            AtomicBoolean first = new AtomicBoolean(true);
            gate.enter(caller.agentId());
            return polls.hold(caller, wait, () -> attempt(caller, labels, first.getAndSet(false)),
                            () -> Uni.createFrom().nullItem(), undelivered::giveBack)
                    .onTermination().invoke(() -> gate.leave(caller.agentId()));
        });
    }

    /** The first attempt claims outright; later ones (after a commit) only when the gate lets the agent through. */
    private Uni<Attempt<Task>> attempt(Caller caller, List<String> labels, boolean first) {
        return freeze.current().chain(state -> {
            if (state.frozen() && !caller.is(Role.OPERATOR)) {
                return Uni.createFrom().item(Attempt.<Task>answer(null));
            }
            return (first ? Uni.createFrom().item(true) : gate.worthTrying(caller.agentId())).chain(worth -> !worth
                    ? Uni.createFrom().item(Attempt.<Task>keepWaiting())
                    : claims.claim(caller, labels).chain(task -> task != null ? Uni.createFrom().item(Attempt.answer(task))
                    : paused(caller).map(paused -> paused ? Attempt.<Task>answer(null) : Attempt.<Task>keepWaiting())));
        });
    }

    /** A paused agent gets no new work: its wait ends with 204 (checked only when the claim found nothing). */
    private Uni<Boolean> paused(Caller caller) {
        return transactions.pool().preparedQuery("SELECT 1 FROM agents WHERE id = $1 AND state = 'paused'")
                .execute(Tuple.of(caller.agentId())).map(rows -> rows.rowCount() > 0);
    }

    /**
     * Hands a claimed task to the HTTP answer: gives it back instead when the connection is already closed, or
     * when it closes before the answer has been written.
     *
     * @return the task to answer with, or null (the client is gone)
     */
    public Task handOver(Task task, HttpServerResponse response) {
        if (task == null || response == null) {
            return task;
        }
        if (response.closed()) {
            undelivered.giveBack(task);
            return null;
        }
        response.closeHandler(closed -> {
            if (!response.ended()) {
                undelivered.giveBack(task);
            }
        });
        return task;
    }
}
