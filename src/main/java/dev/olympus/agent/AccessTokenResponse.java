package dev.olympus.agent;

/** The answer to a token exchange. */
public record AccessTokenResponse(String accessToken, String tokenType, long expiresIn, Agent agent) {}
