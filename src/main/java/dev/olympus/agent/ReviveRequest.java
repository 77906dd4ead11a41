package dev.olympus.agent;

import dev.olympus.web.ProblemException;
import dev.olympus.web.StrictStrings;
import jakarta.validation.constraints.Size;

/** Why an operator revives an agent (optional): kept as the agent's {@code reviveReason} and in the event. */
public record ReviveRequest(@Size(max = 4096) String reason) {

    /** The reason without surrounding whitespace, or null when none was given; a blank one is a 400. */
    String trimmed() {
        if (reason == null) {
            return null;
        }
        if (StrictStrings.blank(reason)) {
            throw ProblemException.validation("reason", StrictStrings.BLANK_MESSAGE);
        }
        return reason.strip();
    }
}
