package dev.olympus.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How verified credentials are cached on each instance ({@code olympus.auth.*}). */
@ConfigMapping(prefix = "olympus.auth")
public interface AuthConfig {

    /**
     * Longest time a verified credential (and the freeze state) is trusted without asking the database again.
     * Revocations, kills and freezes reach every instance at once through LISTEN/NOTIFY; this bound only matters
     * when a notification is lost, and the contract gives a revocation 1 s to take effect everywhere.
     */
    @WithDefault("1s")
    Duration cacheTtl();

    /**
     * Cached credentials per instance, for each of key digests, key ids and tokens; past it, the entries least likely
     * to be used again are dropped. Unknown keys have a cache of their own ({@code CredentialCache.MAX_UNKNOWN}).
     */
    @WithDefault("10000")
    int cacheMaxEntries();
}
