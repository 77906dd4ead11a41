package dev.olympus.db;

import dev.olympus.event.NewEvent;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * One database transaction of a change: its connection and the events it will write.
 * Events are collected while the change runs and appended last, just before commit.
 */
public final class Tx {

    private final SqlConnection connection;
    private final List<NewEvent> events = new ArrayList<>();

    Tx(SqlConnection connection) {
        this.connection = connection;
    }

    public SqlConnection conn() {
        return connection;
    }

    public Tx emit(NewEvent event) {
        events.add(event);
        return this;
    }

    List<NewEvent> events() {
        return events;
    }
}
