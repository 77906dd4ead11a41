package dev.olympus.auth;

/**
 * Fired as a CDI event on EVERY instance when an agent is killed (locally, or learned through a
 * notification from another instance), so that each instance can drop what it holds for that agent:
 * cached credentials, open WebSocket sessions.
 */
public record AgentKilled(String agent) {}
