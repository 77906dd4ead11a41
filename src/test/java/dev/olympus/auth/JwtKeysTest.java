package dev.olympus.auth;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configured key pair (no database involved): used as given, and refused when incomplete or malformed. */
class JwtKeysTest {

    @Test
    void aConfiguredPairIsUsedAsGiven() {
        KeyPair pair = JwtKeys.generate();
        JwtKeys keys = new JwtKeys(null, config(JwtKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded())));
        keys.load();
        assertThat(keys.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(keys.privateKey().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(keys.keyId()).hasSize(16);
    }

    @Test
    void halfAPairOrAMalformedKeyStopsTheStart() {
        KeyPair pair = JwtKeys.generate();
        String publicPem = JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded());
        assertThatThrownBy(() -> new JwtKeys(null, config(null, publicPem)).load())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> new JwtKeys(null, config("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----", publicPem)).load())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a valid PEM");
    }

    private static JwtConfig config(String privatePem, String publicPem) {
        return new JwtConfig() {
            @Override
            public String issuer() {
                return "olympus";
            }

            @Override
            public Duration lifespan() {
                return Duration.ofMinutes(15);
            }

            @Override
            public Optional<String> privateKey() {
                return Optional.ofNullable(privatePem);
            }

            @Override
            public Optional<String> publicKey() {
                return Optional.ofNullable(publicPem);
            }
        };
    }
}
