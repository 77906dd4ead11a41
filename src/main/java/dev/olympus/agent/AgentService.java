package dev.olympus.agent;

import dev.olympus.auth.ApiKeys;
import dev.olympus.auth.Caller;
import dev.olympus.auth.CredentialCache;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class AgentService {

    /** {@code /agents/me/...} names the caller, so no agent may be called {@code me}. */
    static final String ME = "me";

    private final Transactions transactions;
    private final AgentRepository agents;
    private final CredentialCache credentials;

    public AgentService(Transactions transactions, AgentRepository agents, CredentialCache credentials) {
        this.transactions = transactions;
        this.agents = agents;
        this.credentials = credentials;
    }

    public Uni<CreatedAgent> create(Caller caller, CreateAgentRequest request) {
        requireOperator(caller);
        if (ME.equals(request.name())) {
            throw ProblemException.validation("name", "'me' is reserved: it names the caller in paths");
        }
        String apiKey = ApiKeys.newKey();
        String keyId = ApiKeys.newKeyId();
        return transactions.inTransaction(tx -> agents.insert(tx.conn(), request, caller.name())
                .onItem().ifNull().failWith(() -> ProblemException.conflict(ProblemCode.AGENT_EXISTS, "Agent exists",
                        "An agent named '" + request.name() + "' already exists."))
                .call(id -> agents.insertKey(tx.conn(), keyId, id, ApiKeys.hash(apiKey)))
                .chain(id -> agents.findByName(tx.conn(), request.name()))
                .invoke(agent -> tx.emit(NewEvent.agent(EventType.AGENT_CREATED, caller.name(), agent.name(),
                        new JsonObject().put("role", agent.role().wire()))))
                .map(agent -> new CreatedAgent(agent, apiKey, keyId)));
    }

    public Uni<Agent> get(String name) {
        return agents.findByName(transactions.pool(), name).onItem().ifNull().failWith(() -> notFound(name));
    }

    /** Like {@link #get(String)}, with {@code me} naming the caller. */
    public Uni<Agent> get(Caller caller, String name) {
        String target = resolve(caller, name);
        return agents.findByName(transactions.pool(), target)
                .onItem().ifNull().failWith(() -> notFound(target));
    }

    public Uni<Page<Agent>> list(String cursor, int limit) {
        String after = cursor == null ? null : Cursors.decode(cursor, 1)[0];
        return agents.list(transactions.pool(), after, limit + 1).map(found -> {
            List<Agent> page = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? Cursors.encode(page.getLast().name()) : null;
            return new Page<>(page, next);
        });
    }

    /** A new API key for an agent (operator). A killed agent may get one: it works once the agent is revived. */
    public Uni<CreatedKey> addKey(Caller caller, String name) {
        requireOperator(caller);
        String target = resolve(caller, name);
        String apiKey = ApiKeys.newKey();
        String keyId = ApiKeys.newKeyId();
        return transactions.inTransaction(tx -> agents.lock(tx.conn(), target)
                .onItem().ifNull().failWith(() -> notFound(target))
                .call(agent -> agents.insertKey(tx.conn(), keyId, agent.id(), ApiKeys.hash(apiKey)))
                .map(agent -> new CreatedKey(keyId, apiKey)));
    }

    /**
     * Revokes a key (operator): from the commit on, the key and every access token exchanged from it are refused on
     * every instance. Revoking a revoked key changes nothing (DELETE is idempotent). Refused with 409
     * {@code last-operator} when no operator that is not killed would keep a valid key.
     */
    public Uni<Void> revokeKey(Caller caller, String name, String keyId) {
        requireOperator(caller);
        String target = resolve(caller, name);
        return transactions.inTransaction(tx -> agents.lock(tx.conn(), target)
                .onItem().ifNull().failWith(() -> notFound(target))
                .call(agent -> agent.role() == Role.OPERATOR ? agents.lockOperators(tx.conn()) : Uni.createFrom().voidItem())
                .chain(agent -> agents.revokeKey(tx.conn(), agent.id(), keyId, caller.name())
                        .onItem().ifNull().failWith(() -> ProblemException.notFound("Key '" + keyId + "' of agent '" + target + "'"))
                        .call(revoked -> revoked && agent.role() == Role.OPERATOR
                                ? requireUsableOperator(agents, tx.conn()) : Uni.createFrom().voidItem())
                        .call(revoked -> revoked ? CredentialCache.notifyChanged(tx.conn(), agent.id()) : Uni.createFrom().voidItem())))
                .invoke(revoked -> credentials.invalidate())
                .replaceWithVoid();
    }

    /** An agent's keys, oldest first (operator); never the keys themselves. */
    public Uni<Page<ApiKeyInfo>> keys(Caller caller, String name, String cursor, int limit) {
        requireOperator(caller);
        String target = resolve(caller, name);
        String[] after = cursor == null ? null : Cursors.decode(cursor, 2);
        Instant afterCreated = after == null ? null : fromMicros(Cursors.decodeLong(after[0]));
        return agents.ref(transactions.pool(), target)
                .onItem().ifNull().failWith(() -> notFound(target))
                .chain(agent -> agents.keys(transactions.pool(), agent.id(), afterCreated, after == null ? null : after[1], limit + 1))
                .map(found -> {
                    boolean more = found.size() > limit;
                    List<ApiKeyInfo> page = more ? found.subList(0, limit) : found;
                    String next = more ? Cursors.encode(Long.toString(micros(page.getLast().createdAt())), page.getLast().keyId()) : null;
                    return new Page<>(page, next);
                });
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    static Uni<Void> requireUsableOperator(AgentRepository agents, io.vertx.mutiny.sqlclient.SqlClient client) {
        return agents.usableOperatorExists(client).invoke(exists -> {
            if (!exists) {
                throw ProblemException.conflict(ProblemCode.LAST_OPERATOR, "Last operator",
                        "At least one operator that is not killed must keep a valid API key.");
            }
        }).replaceWithVoid();
    }

    /** {@code me} in a path names the caller. */
    static String resolve(Caller caller, String name) {
        return ME.equals(name) ? caller.name() : name;
    }

    static ProblemException notFound(String name) {
        return ProblemException.notFound("Agent '" + name + "'");
    }

    static void requireOperator(Caller caller) {
        if (!caller.is(Role.OPERATOR)) {
            throw ProblemException.forbidden("Only operators manage agents.");
        }
    }
}
