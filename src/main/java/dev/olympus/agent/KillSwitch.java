package dev.olympus.agent;

import dev.olympus.auth.Caller;
import dev.olympus.auth.CredentialCache;
import dev.olympus.auth.KillFence;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.task.TaskReleases;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Kill and revive, enforced by the server: a kill commits the agent's new state, the release of its in-progress
 * tasks, their events and a notification to every instance in one transaction. From the commit on, the agent's
 * keys and access tokens are refused ({@code agent-killed}) here at once and on the other instances as soon as the
 * notification arrives (at most {@code olympus.auth.cache-ttl} later if it is lost).
 *
 * <p>Rules decided here: an operator cannot kill itself (403), and no kill may leave the service without an operator
 * that is alive and holds a valid key (409 {@code last-operator}); killing a killed agent or reviving a live one
 * changes nothing and answers 200 with the agent (a kill switch is pressed twice in a hurry).
 */
@ApplicationScoped
public class KillSwitch {

    private record Outcome(Agent agent, long agentId, int generation, boolean changed) {}

    private final Transactions transactions;
    private final AgentRepository agents;
    private final TaskReleases releases;
    private final CredentialCache credentials;

    public KillSwitch(Transactions transactions, AgentRepository agents, TaskReleases releases, CredentialCache credentials) {
        this.transactions = transactions;
        this.agents = agents;
        this.releases = releases;
        this.credentials = credentials;
    }

    public Uni<Agent> kill(Caller caller, String name, String reason) {
        AgentService.requireOperator(caller);
        String target = AgentService.resolve(caller, name);
        if (target.equals(caller.name())) {
            throw ProblemException.forbidden("An operator cannot kill itself.");
        }
        // The fence first: the agent's claims and PATCHes in flight finish before the kill, later ones wait for it.
        return transactions.inTransaction(tx -> KillFence.closeFor(tx.conn(), target)
                        .chain(() -> agents.lock(tx.conn(), target))
                        .onItem().ifNull().failWith(() -> AgentService.notFound(target))
                        .chain(ref -> {
                            if (ref.killed()) {
                                return agents.findByName(tx.conn(), target).map(agent -> new Outcome(agent, ref.id(), ref.generation(), false));
                            }
                            boolean operator = ref.role() == Role.OPERATOR;
                            JsonObject data = new JsonObject().put("reason", reason);
                            // agent.killed comes first in the log; the released task ids are added to it before it is written.
                            tx.emit(NewEvent.agent(EventType.AGENT_KILLED, caller.name(), target, data));
                            String comment = "Released: agent '" + target + "' was killed by '" + caller.name() + "': " + reason;
                            return (operator ? agents.lockOperators(tx.conn()) : Uni.createFrom().voidItem())
                                    .chain(() -> agents.markKilled(tx.conn(), ref.id(), reason, caller.name()))
                                    .call(generation -> operator ? AgentService.requireUsableOperator(agents, tx.conn())
                                            : Uni.createFrom().voidItem())
                                    .call(generation -> releases.releaseInProgress(tx, target, caller.name(), truncate(comment))
                                            .invoke(ids -> data.put("releasedTasks", new JsonArray(List.copyOf(ids)))))
                                    .call(generation -> CredentialCache.notifyKilled(tx.conn(), ref.id(), target, generation))
                                    .chain(generation -> agents.findByName(tx.conn(), target)
                                            .map(agent -> new Outcome(agent, ref.id(), generation, true)));
                        }))
                .invoke(outcome -> {
                    if (outcome.changed()) {
                        credentials.killedHere(outcome.agentId(), target, outcome.generation());
                    }
                })
                .map(Outcome::agent);
    }

    /**
     * Lifts the block for the agent's API keys and for access tokens issued from now on; tokens issued before the
     * kill stay invalid (they carry the credential generation the kill ended). The optional reason is kept as the
     * agent's {@code reviveReason} and in the {@code agent.revived} event.
     */
    public Uni<Agent> revive(Caller caller, String name, String reason) {
        AgentService.requireOperator(caller);
        String target = AgentService.resolve(caller, name);
        return transactions.inTransaction(tx -> agents.lock(tx.conn(), target)
                        .onItem().ifNull().failWith(() -> AgentService.notFound(target))
                        .chain(ref -> {
                            if (!ref.killed()) {
                                return agents.findByName(tx.conn(), target).map(agent -> new Outcome(agent, ref.id(), ref.generation(), false));
                            }
                            JsonObject data = reason == null ? new JsonObject() : new JsonObject().put("reason", reason);
                            tx.emit(NewEvent.agent(EventType.AGENT_REVIVED, caller.name(), target, data));
                            return agents.markRevived(tx.conn(), ref.id(), reason, caller.name())
                                    .call(() -> CredentialCache.notifyChanged(tx.conn(), ref.id()))
                                    .chain(() -> agents.findByName(tx.conn(), target))
                                    .map(agent -> new Outcome(agent, ref.id(), ref.generation(), true));
                        }))
                .invoke(outcome -> {
                    if (outcome.changed()) {
                        credentials.invalidate();
                    }
                })
                .map(Outcome::agent);
    }

    /** Comments hold at most 16 KiB; a reason holds at most 4 KiB, so this only guards the arithmetic. */
    private static String truncate(String comment) {
        return comment.length() <= 16_000 ? comment : comment.substring(0, 16_000);
    }
}
