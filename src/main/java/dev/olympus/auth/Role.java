package dev.olympus.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum Role {
    OPERATOR, ORCHESTRATOR, WORKER, OBSERVER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromWire(String value) {
        for (Role role : values()) {
            if (role.wire().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role: " + value);
    }

    /** Orchestrators and operators plan and steer: create, assign, reopen, retry. */
    public boolean plans() {
        return this == OPERATOR || this == ORCHESTRATOR;
    }
}
