package dev.olympus.task;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/** Blocked tasks ({@code olympus.blocked.*}; defaults in application.properties). */
@ConfigMapping(prefix = "olympus.blocked")
public interface BlockedConfig {

    /** Blocking a task needs a comment by the same agent within this window (or an inline comment). */
    Duration commentWindow();

    /** A task blocked longer than this gets needsAttention (stale-blocked). */
    Duration staleAfter();
}
