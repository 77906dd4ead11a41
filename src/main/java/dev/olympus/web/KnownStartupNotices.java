package dev.olympus.web;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops two warnings that every start printed and that a new operator reads as faults; nothing else.
 * <ul>
 * <li>The MCP extension's advice to enable the CORS filter: it guards endpoints that browsers call with ambient
 * credentials (cookies). Every /mcp request carries a bearer key a foreign page does not have, and a
 * same-origin-only CORS filter would refuse the dashboard behind a TLS-terminating proxy.</li>
 * <li>Micrometer's "Gauge has been already registered" for the reactive PostgreSQL pool's client gauges
 * ({@code postgresql.queue.size}, {@code postgresql.current}): Quarkus registers them once per event loop of the
 * pool (quarkusio/quarkus#47504, fixed in Quarkus 3.37); the metrics are still exported.</li>
 * </ul>
 * Installed by {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = "olympus-known-notices")
public final class KnownStartupNotices implements Filter {

    private static final String MCP_HANDLER = "io.quarkiverse.mcp.server.http.runtime.StreamableHttpMcpMessageHandler";
    private static final String CORS_ADVICE = "Cross-Origin Resource Sharing (CORS) filter must be enabled";
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    private static final String POOL_GAUGE_TWICE = "This Gauge has been already registered (MeterId{name='postgresql.";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null) {
            return true;
        }
        return !(MCP_HANDLER.equals(record.getLoggerName()) && message.startsWith(CORS_ADVICE)
                || METER_REGISTRY.equals(record.getLoggerName()) && message.startsWith(POOL_GAUGE_TWICE));
    }
}
