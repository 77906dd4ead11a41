package dev.olympus.question;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.web.ProblemException;

import java.util.regex.Pattern;

/**
 * Whom a question is addressed to: operators ({@code human}), the orchestrators ({@code orchestrator}), or one agent
 * by name. The two keywords win over agents that happen to carry those names.
 */
record Addressee(Kind kind, String name) {

    enum Kind { HUMAN, ORCHESTRATOR, AGENT }

    static final String HUMAN = "human";
    static final String ORCHESTRATOR = "orchestrator";
    private static final Pattern AGENT_NAME = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    /** Parses the request's {@code to} (default {@code orchestrator}); 400 on {@code to} when it is no name. */
    static Addressee parse(String to) {
        if (to == null || to.equals(ORCHESTRATOR)) {
            return new Addressee(Kind.ORCHESTRATOR, ORCHESTRATOR);
        }
        if (to.equals(HUMAN)) {
            return new Addressee(Kind.HUMAN, HUMAN);
        }
        if (!AGENT_NAME.matcher(to).matches()) {
            throw ProblemException.validation("to", "must be \"human\", \"orchestrator\" or an agent's name");
        }
        return new Addressee(Kind.AGENT, to);
    }

    static Addressee of(String kind, String name) {
        return new Addressee(Kind.valueOf(kind.toUpperCase()), name);
    }

    String kindWire() {
        return kind.name().toLowerCase();
    }

    /** Who may answer: human → operators; orchestrator → orchestrators and operators; an agent → it or an operator. */
    boolean answerableBy(Caller caller) {
        if (caller.is(Role.OPERATOR)) {
            return true;
        }
        return switch (kind) {
            case HUMAN -> false;
            case ORCHESTRATOR -> caller.is(Role.ORCHESTRATOR);
            case AGENT -> caller.name().equals(name);
        };
    }
}
