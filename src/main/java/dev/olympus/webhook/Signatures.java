package dev.olympus.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Standard Webhooks signing: {@code webhook-signature: v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>},
 * several space-separated signatures while a rotated secret still signs. A secret is shown as
 * {@code whsec_<base64 of the 32 key bytes>}.
 */
public final class Signatures {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {}

    public static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public static String secret(byte[] key) {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The header value: one {@code v1,<signature>} per key, space-separated. */
    public static String header(String id, long timestamp, byte[] body, byte[]... keys) {
        StringBuilder header = new StringBuilder();
        for (byte[] key : keys) {
            if (key == null) {
                continue;
            }
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(sign(key, id, timestamp, body));
        }
        return header.toString();
    }

    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
