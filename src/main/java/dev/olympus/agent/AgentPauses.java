package dev.olympus.agent;

import dev.olympus.auth.Caller;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pause and resume. A paused agent ({@code state: paused}, the reason in {@code stateReason}) keeps working on what it
 * holds (heartbeats, PATCHes and comments work as before) but gets no new work: its claims answer 204 and its
 * {@code todo -> in_progress} moves are refused (409 {@code agent-paused}); tasks may still be assigned to it.
 *
 * <p>The state is read from the database by the claim statement and the move, never from a cache, so a pause is in
 * force on every instance from its commit on. A kill overrides a pause (a killed agent stays killed; a revive makes
 * it active). The scheduler marks only active agents unresponsive, so a paused agent stays paused while silent.
 *
 * <p>Other rules pause through {@link #pause(Tx, String, String, String)} in their own transaction (e.g. a spent
 * budget, reason {@code budget-exhausted}).
 */
@ApplicationScoped
public class AgentPauses {

    private final Transactions transactions;
    private final AgentRepository agents;

    public AgentPauses(Transactions transactions, AgentRepository agents) {
        this.transactions = transactions;
        this.agents = agents;
    }

    /** Operators and orchestrators. Pausing a paused or killed agent changes nothing and answers the agent. */
    public Uni<Agent> pause(Caller caller, String name, String reason) {
        String target = authorize(caller, name, "pause");
        return transactions.inTransaction(tx -> exists(tx, target)
                .call(() -> pause(tx, target, reason, caller.name()))
                .chain(() -> agents.findByName(tx.conn(), target)));
    }

    /** Operators and orchestrators. Resuming an agent that is not paused changes nothing and answers the agent. */
    public Uni<Agent> resume(Caller caller, String name) {
        String target = authorize(caller, name, "resume");
        return transactions.inTransaction(tx -> exists(tx, target)
                .call(() -> resume(tx, target, caller.name()))
                .chain(() -> agents.findByName(tx.conn(), target)));
    }

    /**
     * Pauses {@code agent} in the caller's transaction and writes {@code agent.paused} ({@code data.reason}).
     *
     * @param actor who pauses (an agent name, or {@code system})
     * @return whether it was paused now (false: already paused, killed, or unknown)
     */
    public Uni<Boolean> pause(Tx tx, String agent, String reason, String actor) {
        return agents.markPaused(tx.conn(), agent, reason).invoke(paused -> {
            if (paused) {
                tx.emit(NewEvent.agent(EventType.AGENT_PAUSED, actor, agent, new JsonObject().put("reason", reason)));
            }
        });
    }

    /** Resumes {@code agent} in the caller's transaction and writes {@code agent.resumed}. @return whether it was paused */
    public Uni<Boolean> resume(Tx tx, String agent, String actor) {
        return agents.markResumed(tx.conn(), agent).invoke(resumed -> {
            if (resumed) {
                tx.emit(NewEvent.agent(EventType.AGENT_RESUMED, actor, agent, new JsonObject()));
            }
        });
    }

    private static String authorize(Caller caller, String name, String action) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only operators and orchestrators " + action + " agents.");
        }
        return AgentService.resolve(caller, name);
    }

    private Uni<Void> exists(Tx tx, String name) {
        return agents.lock(tx.conn(), name).onItem().ifNull().failWith(() -> AgentService.notFound(name)).replaceWithVoid();
    }
}
