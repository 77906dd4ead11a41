package dev.olympus.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Access tokens ({@code olympus.jwt.*}). */
@ConfigMapping(prefix = "olympus.jwt")
public interface JwtConfig {

    /** Written into every access token as {@code iss} and required from every token presented. */
    @WithDefault("olympus")
    String issuer();

    /** Lifetime of an access token ({@code expiresIn}). */
    @WithDefault("15m")
    Duration lifespan();

    /**
     * PEM (PKCS#8) RSA private key signing access tokens. Set it together with {@link #publicKey()}, or neither:
     * then a key pair is generated on first start and stored in the database for every instance.
     */
    Optional<String> privateKey();

    /** PEM (X.509 SubjectPublicKeyInfo) RSA public key verifying access tokens; the pair of {@link #privateKey()}. */
    Optional<String> publicKey();
}
