package dev.olympus.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Declared in list order: critical first. The database stores the same order as {@code priority_rank}. */
public enum Priority {
    CRITICAL, HIGH, MEDIUM, LOW;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Priority fromWire(String value) {
        for (Priority priority : values()) {
            if (priority.wire().equals(value)) {
                return priority;
            }
        }
        throw new IllegalArgumentException("unknown priority: " + value);
    }
}
