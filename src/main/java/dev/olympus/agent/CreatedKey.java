package dev.olympus.agent;

/** The answer to adding an API key: the only time the key is shown. */
public record CreatedKey(String keyId, String apiKey) {}
