package dev.olympus.system;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** Is the system frozen, since when, by whom and why. */
@RegisterForReflection
public record SystemState(boolean frozen, String reason, Instant frozenAt, String frozenBy) {}
