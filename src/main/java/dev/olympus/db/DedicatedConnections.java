package dev.olympus.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connections outside the pool, for what must live on one session: the LISTEN connection ({@link Notifications})
 * and the scheduler leader's advisory lock. Same database and credentials as the pool.
 */
@ApplicationScoped
public class DedicatedConnections {

    private final Vertx vertx;
    private final PgConnectOptions options;

    public DedicatedConnections(Vertx vertx,
                                @ConfigProperty(name = "olympus.db.host") String host,
                                @ConfigProperty(name = "olympus.db.port") int port,
                                @ConfigProperty(name = "olympus.db.name") String database,
                                @ConfigProperty(name = "olympus.db.user") String user,
                                @ConfigProperty(name = "olympus.db.password") String password) {
        this.vertx = vertx;
        this.options = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database)
                .setUser(user).setPassword(password).setConnectTimeout(2_000);
    }

    public Future<PgConnection> connect() {
        return PgConnection.connect(vertx, options);
    }
}
