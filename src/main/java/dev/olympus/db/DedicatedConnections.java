package dev.olympus.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Connections outside the pool, for what must live on one session: the LISTEN connection ({@link Notifications})
 * and the scheduler leader's advisory lock. Same database and credentials as the pool.
 */
@ApplicationScoped
public class DedicatedConnections {

    private final Vertx vertx;
    private final PgConnectOptions options;

    public DedicatedConnections(Vertx vertx, DbConfig db) {
        this.vertx = vertx;
        this.options = new PgConnectOptions().setHost(db.host()).setPort(db.port()).setDatabase(db.name())
                .setUser(db.user()).setPassword(db.password()).setConnectTimeout(2_000);
    }

    public Future<PgConnection> connect() {
        return PgConnection.connect(vertx, options);
    }
}
