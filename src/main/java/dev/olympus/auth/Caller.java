package dev.olympus.auth;

/**
 * The authenticated agent behind a request.
 *
 * @param keyId    the API key used, or the key the access token was exchanged from
 * @param issuedAt  for access tokens, when the token was issued (epoch seconds); 0 for API keys
 * @param expiresAt for access tokens, when the token expires (epoch seconds); 0 for API keys, which do not
 */
public record Caller(long agentId, String name, Role role, String keyId, long issuedAt, long expiresAt) {

    public boolean is(Role r) {
        return role == r;
    }

    public boolean plans() {
        return role.plans();
    }

    /** True when the request carried an access token rather than an API key. */
    public boolean viaAccessToken() {
        return issuedAt > 0;
    }
}
