package dev.olympus.event;

import dev.olympus.testing.TestDatabase;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A database of its own with the real schema (every Flyway migration), and the event log's statements as plain JDBC
 * calls, so that ordering tests can interleave transactions step by step on connections of their own: a writer's
 * insert (as {@link EventLog} appends), the post-commit sequencer ({@link EventSequencer}'s function) and a reader
 * (as {@link EventRepository#after} reads).
 */
final class OrderingDatabase {

    private static OrderingDatabase instance;

    private final String url;
    private final String user;
    private final String password;

    private OrderingDatabase(Map<String, String> config) {
        this.url = "jdbc:postgresql://" + config.get("olympus.db.host") + ":" + config.get("olympus.db.port") + "/"
                + config.get("olympus.db.name");
        this.user = config.get("olympus.db.user");
        this.password = config.get("olympus.db.password");
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
    }

    static synchronized OrderingDatabase get() {
        if (instance == null) {
            instance = new OrderingDatabase(TestDatabase.get().newDatabase("ordering"));
        }
        return instance;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Inserts one event on {@code conn}'s open transaction, as EventLog does (no position); answers its id. */
    static long insert(Connection conn, String marker) throws SQLException {
        try (PreparedStatement insert = conn.prepareStatement(
                "INSERT INTO events (type, actor, data) VALUES ('test.ordering', ?, jsonb_build_object('marker', ?::text)) RETURNING id")) {
            insert.setString(1, marker);
            insert.setString(2, marker);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** One sequencer run, as EventSequencer makes it (its own transaction); answers how many it positioned. */
    static int sequence(Connection conn) throws SQLException {
        try (Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT positioned FROM events_assign_positions(" + EventSequencer.BATCH + ")")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A positioned event as a reader sees it. */
    record Seen(long position, long id, String marker) {}

    /** What a reader sees after {@code cursor}, as EventRepository.after reads it (one statement, one snapshot). */
    static List<Seen> readAfter(Connection conn, long cursor) throws SQLException {
        try (PreparedStatement read = conn.prepareStatement(
                "SELECT position, id, data ->> 'marker' FROM events WHERE position > ? ORDER BY position")) {
            read.setLong(1, cursor);
            List<Seen> seen = new ArrayList<>();
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    seen.add(new Seen(rows.getLong(1), rows.getLong(2), rows.getString(3)));
                }
            }
            return seen;
        }
    }

    /** The newest position handed out. */
    static long head(Connection conn) throws SQLException {
        try (Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT last_position FROM events_sequence")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
