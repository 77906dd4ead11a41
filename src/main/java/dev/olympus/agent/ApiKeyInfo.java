package dev.olympus.agent;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** An API key as operators see it: never the key itself, which is shown only when created. */
@RegisterForReflection
public record ApiKeyInfo(String keyId, Instant createdAt, Instant revokedAt) {}
