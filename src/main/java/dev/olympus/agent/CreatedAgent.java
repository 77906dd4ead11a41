package dev.olympus.agent;

/** The answer to creating an agent: the only time its API key is shown. */
public record CreatedAgent(Agent agent, String apiKey, String keyId) {}
