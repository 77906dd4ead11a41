package dev.olympus.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum TaskStatus {
    TODO, IN_PROGRESS, IN_REVIEW, BLOCKED, DONE, FAILED, CANCELED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TaskStatus fromWire(String value) {
        for (TaskStatus status : values()) {
            if (status.wire().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status: " + value);
    }

    /** Open tasks are still somebody's work: not done, failed or canceled. */
    public boolean isOpen() {
        return this != DONE && this != FAILED && this != CANCELED;
    }
}
