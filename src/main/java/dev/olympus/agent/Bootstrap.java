package dev.olympus.agent;

import dev.olympus.auth.ApiKeys;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * On first start with an empty database, creates the operator {@code admin}. Safe when several
 * instances start at once: an advisory lock and the empty check run in one transaction.
 */
@ApplicationScoped
public class Bootstrap {

    private static final long BOOTSTRAP_LOCK = 0x4f4c_5942_4f4fL;

    private final Transactions transactions;
    private final AgentRepository agents;
    private final Optional<String> configuredKey;

    // The one key left outside a @ConfigMapping: it sits at the root of olympus.*, and a mapping with prefix "olympus"
    // would claim every olympus.* key, so that any key no mapping declares would stop the start-up.
    public Bootstrap(Transactions transactions, AgentRepository agents,
                     @ConfigProperty(name = "olympus.bootstrap-key") Optional<String> configuredKey) {
        this.transactions = transactions;
        this.agents = agents;
        this.configuredKey = configuredKey.map(String::trim).filter(k -> !k.isEmpty());
    }

    void onStart(@Observes StartupEvent event) {
        configuredKey.ifPresent(key -> {
            if (!ApiKeys.looksLikeKey(key) || key.length() < 32) {
                throw new IllegalStateException("OLYMPUS_BOOTSTRAP_KEY must start with 'olk_' and be at least 32 characters");
            }
        });
        // Start-up, not a request path: waiting here keeps the service from answering before admin exists.
        createAdminIfEmpty().await().atMost(Duration.ofSeconds(60));
    }

    Uni<Void> createAdminIfEmpty() {
        String key = configuredKey.orElseGet(ApiKeys::newKey);
        String keyId = ApiKeys.newKeyId();
        // Two statements: in READ COMMITTED a statement's snapshot is taken when it starts, so an EXISTS in the
        // statement that waits for the lock would not see the admin committed by the instance that held it.
        return transactions.inTransaction(tx -> tx.conn()
                .preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(BOOTSTRAP_LOCK))
                .chain(() -> tx.conn().query("SELECT EXISTS (SELECT 1 FROM agents) AS any").execute())
                .chain(rows -> {
                    if (rows.iterator().next().getBoolean("any")) {
                        return Uni.createFrom().voidItem();
                    }
                    var admin = new CreateAgentRequest("admin", Role.OPERATOR, "Bootstrap operator", null, List.of(), null);
                    return agents.insert(tx.conn(), admin, null)
                            .call(id -> agents.insertKey(tx.conn(), keyId, id, ApiKeys.hash(key)))
                            .invoke(id -> {
                                tx.emit(NewEvent.agent(EventType.AGENT_CREATED, "system", "admin",
                                        new JsonObject().put("role", "operator")));
                                if (configuredKey.isPresent()) {
                                    Log.info("Created the bootstrap operator 'admin' with the key from OLYMPUS_BOOTSTRAP_KEY");
                                } else {
                                    // The one time a key is logged: there is no other way to hand it over.
                                    Log.warnf("Created the bootstrap operator 'admin'. Its API key, shown only once: %s", key);
                                }
                            })
                            .replaceWithVoid();
                }));
    }
}
