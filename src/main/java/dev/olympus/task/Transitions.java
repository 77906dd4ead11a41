package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;

import java.util.List;

import static dev.olympus.task.TaskStatus.*;

/**
 * The status transition table of API.md for PATCH (moves the server makes itself, such as the claim, are in
 * docs/state-machine.md beside it). A move that is in the table but not for this caller is a
 * 403 (the caller may never do it); a move that is not in the table at all is a 409.
 */
final class Transitions {

    /** Who may take a transition: the task's assignee, or the planners (orchestrators and operators). */
    enum Who {
        ASSIGNEE("assignee"), PLANNER("orchestrator, operator"), ASSIGNEE_OR_PLANNER("assignee, orchestrator, operator");

        /** As docs/state-machine.md writes it. */
        final String doc;

        Who(String doc) {
            this.doc = doc;
        }
    }

    record Rule(TaskStatus from, TaskStatus to, Who who) {}

    /** The table (docs/state-machine.md shows it; TransitionsDocTest keeps the two equal). */
    static final List<Rule> TABLE = List.of(
            new Rule(TODO, IN_PROGRESS, Who.ASSIGNEE),
            new Rule(TODO, BLOCKED, Who.ASSIGNEE),
            new Rule(TODO, CANCELED, Who.PLANNER),
            new Rule(IN_PROGRESS, IN_REVIEW, Who.ASSIGNEE),
            new Rule(IN_PROGRESS, DONE, Who.ASSIGNEE),
            new Rule(IN_PROGRESS, FAILED, Who.ASSIGNEE),
            new Rule(IN_PROGRESS, BLOCKED, Who.ASSIGNEE),
            new Rule(IN_PROGRESS, TODO, Who.ASSIGNEE),
            new Rule(IN_REVIEW, DONE, Who.ASSIGNEE_OR_PLANNER),
            new Rule(IN_REVIEW, IN_PROGRESS, Who.ASSIGNEE_OR_PLANNER),
            new Rule(IN_REVIEW, FAILED, Who.ASSIGNEE_OR_PLANNER),
            new Rule(BLOCKED, TODO, Who.ASSIGNEE_OR_PLANNER),
            new Rule(BLOCKED, IN_PROGRESS, Who.ASSIGNEE_OR_PLANNER),
            new Rule(DONE, TODO, Who.PLANNER),
            new Rule(FAILED, TODO, Who.PLANNER),
            new Rule(CANCELED, TODO, Who.PLANNER));

    private Transitions() {}

    /** @throws ProblemException 403 when the caller may not take this move, 409 when no one may. */
    static void check(Caller caller, Task task, TaskStatus to) {
        Rule rule = TABLE.stream().filter(r -> r.from() == task.status() && r.to() == to).findFirst().orElse(null);
        if (rule == null) {
            throw ProblemException.conflict(ProblemCode.INVALID_TRANSITION, "Invalid transition",
                    "A task cannot move from " + task.status().wire() + " to " + to.wire() + ".")
                    .with("from", task.status().wire()).with("to", to.wire());
        }
        if (!allowed(caller, task, rule.who())) {
            throw ProblemException.forbidden("Moving a task from " + task.status().wire() + " to " + to.wire()
                    + " is for " + describe(rule.who()) + ".");
        }
    }

    /** Operators may do everything; otherwise the rule's column decides. */
    private static boolean allowed(Caller caller, Task task, Who who) {
        if (caller.is(Role.OPERATOR)) {
            return true;
        }
        boolean assignee = caller.name().equals(task.assignee());
        return switch (who) {
            case ASSIGNEE -> assignee;
            case PLANNER -> caller.plans();
            case ASSIGNEE_OR_PLANNER -> assignee || caller.plans();
        };
    }

    private static String describe(Who who) {
        return switch (who) {
            case ASSIGNEE -> "the task's assignee";
            case PLANNER -> "orchestrators and operators";
            case ASSIGNEE_OR_PLANNER -> "the task's assignee, orchestrators and operators";
        };
    }
}
