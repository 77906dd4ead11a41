package dev.olympus.db;

import io.smallrye.config.ConfigMapping;

/**
 * The database ({@code olympus.db.*}; defaults in application.properties). The pool reads the same keys through
 * {@code quarkus.datasource.*}; {@link DedicatedConnections} reads them here.
 */
@ConfigMapping(prefix = "olympus.db")
public interface DbConfig {

    /** Host name of the PostgreSQL server. */
    String host();

    /** Its TCP port. */
    int port();

    /** The database shared by every instance. */
    String name();

    /** The role Olympus connects as. */
    String user();

    /** That role's password. */
    String password();

    /** Connections in this instance's reactive pool (the LISTEN connection and the leader's lock come on top). */
    int poolSize();
}
