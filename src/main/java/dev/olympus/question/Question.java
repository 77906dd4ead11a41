package dev.olympus.question;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * A question about a task, as the API shows it. {@code to} is {@code human}, {@code orchestrator} or an agent's
 * name; {@code choice} is the option the answer picked (null when there were none or none was picked).
 */
@RegisterForReflection
public record Question(
        long id,
        long taskId,
        String askedBy,
        String to,
        String question,
        List<String> options,
        String state,
        Instant askedAt,
        String answer,
        String choice,
        String answeredBy,
        Instant answeredAt) {

    public static final String OPEN = "open";
    public static final String ANSWERED = "answered";

    public boolean isOpen() {
        return OPEN.equals(state);
    }
}
