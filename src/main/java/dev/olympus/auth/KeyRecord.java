package dev.olympus.auth;

/**
 * What the database says about one API key and its agent: everything a credential check needs.
 *
 * @param generation the agent's credential generation (bumped by every kill); access tokens must carry it
 */
record KeyRecord(String keyId, boolean revoked, long agentId, String agent, Role role, boolean killed, int generation) {

    Caller caller(long issuedAt, long expiresAt) {
        return new Caller(agentId, agent, role, keyId, issuedAt, expiresAt);
    }
}
