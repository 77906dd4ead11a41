package dev.olympus.testing;

import dev.olympus.testing.Api.TestAgent;

import java.util.List;
import java.util.Map;

/**
 * Everyone who may try a status move in a transition test: the task's assignee (a worker), another worker, a worker
 * with capability review, an orchestrator, and the operator (the admin). Fresh agents but the admin, made once per
 * test class.
 */
public final class TransitionCallers {

    /** Who sends the move. */
    public enum Kind { ASSIGNEE, OTHER_WORKER, REVIEWER, ORCHESTRATOR, OPERATOR }

    public final TestAgent orchestrator = Api.agent("orchestrator");
    /** The assignee of the tasks under test. */
    public final TestAgent worker = Api.agent("worker");
    public final TestAgent otherWorker = Api.agent("worker");
    public final TestAgent reviewer = Api.agent("worker", Map.of("capabilities", List.of("review")));

    /** The operator: the admin, whose key the test database's set-up made. */
    public final TestAgent operator = new TestAgent("admin", PostgresResource.ADMIN_KEY, "operator");

    public TestAgent agent(Kind kind) {
        return switch (kind) {
            case ASSIGNEE -> worker;
            case OTHER_WORKER -> otherWorker;
            case REVIEWER -> reviewer;
            case ORCHESTRATOR -> orchestrator;
            case OPERATOR -> operator;
        };
    }
}
