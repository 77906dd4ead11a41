package dev.olympus.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: {@code olk_} followed by 256 random bits. Only a SHA-256 digest is stored. A fast hash is
 * right here (unlike for passwords): the secret has full entropy, so there is nothing to brute-force,
 * and a slow hash would cost every request.
 */
public final class ApiKeys {

    public static final String PREFIX = "olk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ApiKeys() {}

    public static String newKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + ENCODER.encodeToString(secret);
    }

    public static String newKeyId() {
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        return "key_" + ENCODER.encodeToString(id);
    }

    public static boolean looksLikeKey(String credential) {
        return credential.startsWith(PREFIX) && credential.length() >= 24 && credential.length() <= 200;
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
