package dev.olympus.agent;

import dev.olympus.auth.ApiKeys;
import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.NewEvent;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class AgentService {

    private final Transactions transactions;
    private final AgentRepository agents;

    public AgentService(Transactions transactions, AgentRepository agents) {
        this.transactions = transactions;
        this.agents = agents;
    }

    public Uni<CreatedAgent> create(Caller caller, CreateAgentRequest request) {
        requireOperator(caller);
        String apiKey = ApiKeys.newKey();
        String keyId = ApiKeys.newKeyId();
        return transactions.inTransaction(tx -> agents.insert(tx.conn(), request, caller.name())
                .onItem().ifNull().failWith(() -> ProblemException.conflict("agent-exists", "Agent exists",
                        "An agent named '" + request.name() + "' already exists."))
                .call(id -> agents.insertKey(tx.conn(), keyId, id, ApiKeys.hash(apiKey)))
                .chain(id -> agents.findByName(tx.conn(), request.name()))
                .invoke(agent -> tx.emit(NewEvent.agent("agent.created", caller.name(), agent.name(),
                        new JsonObject().put("role", agent.role().wire()))))
                .map(agent -> new CreatedAgent(agent, apiKey, keyId)));
    }

    public Uni<Agent> get(String name) {
        return agents.findByName(transactions.pool(), name)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Agent '" + name + "'"));
    }

    public Uni<Page<Agent>> list(String cursor, int limit) {
        String after = cursor == null ? null : Cursors.decode(cursor, 1)[0];
        return agents.list(transactions.pool(), after, limit + 1).map(found -> {
            List<Agent> page = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? Cursors.encode(page.getLast().name()) : null;
            return new Page<>(page, next);
        });
    }

    static void requireOperator(Caller caller) {
        if (!caller.is(Role.OPERATOR)) {
            throw ProblemException.forbidden("Only operators manage agents.");
        }
    }
}
