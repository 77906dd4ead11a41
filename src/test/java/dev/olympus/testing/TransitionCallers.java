package dev.olympus.testing;

import dev.olympus.testing.Api.TestAgent;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;

/**
 * Everyone who may try a status move in a transition test: the task's assignee (a worker), another worker, a worker
 * with capability review, an orchestrator, and the operator (admin). Fresh agents, made once per test class.
 */
public final class TransitionCallers {

    /** Who sends the move. */
    public enum Kind { ASSIGNEE, OTHER_WORKER, REVIEWER, ORCHESTRATOR, OPERATOR }

    public final TestAgent orchestrator = Api.agent("orchestrator");
    /** The assignee of the tasks under test. */
    public final TestAgent worker = Api.agent("worker");
    public final TestAgent otherWorker = Api.agent("worker");
    public final TestAgent reviewer = Api.agent("worker", Map.of("capabilities", List.of("review")));

    public RequestSpecification request(Kind kind) {
        return switch (kind) {
            case ASSIGNEE -> worker.request();
            case OTHER_WORKER -> otherWorker.request();
            case REVIEWER -> reviewer.request();
            case ORCHESTRATOR -> orchestrator.request();
            case OPERATOR -> Api.admin();
        };
    }

    /** The name a move by this caller is recorded under (the operator's key is the admin's). */
    public String name(Kind kind) {
        return switch (kind) {
            case ASSIGNEE -> worker.name();
            case OTHER_WORKER -> otherWorker.name();
            case REVIEWER -> reviewer.name();
            case ORCHESTRATOR -> orchestrator.name();
            case OPERATOR -> "admin";
        };
    }
}
