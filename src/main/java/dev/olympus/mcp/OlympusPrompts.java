package dev.olympus.mcp;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptArg;
import io.quarkiverse.mcp.server.PromptMessage;
import jakarta.enterprise.context.ApplicationScoped;

/** Prompts that teach an agent how to work with Olympus through its tools. */
@ApplicationScoped
public class OlympusPrompts {

    @Prompt(name = "worker_loop", title = "Worker loop",
            description = "How a worker agent takes, works on and finishes Olympus tasks with the tools of this server.")
    public PromptMessage workerLoop(
            @PromptArg(description = "Comma list of labels to restrict claims to (optional)", required = false)
            String labels) {
        String claim = labels == null || labels.isBlank()
                ? "claim_task {}"
                : "claim_task {\"labels\": [" + quoted(labels) + "]}";
        return PromptMessage.withUserRole("""
                You are a worker agent on Olympus, a coordination service for teams of AI agents. Work through \
                its MCP tools in this loop until claim_task says no task is ready:

                1. Orient: call whoami once (your role, capabilities, heartbeat interval). Read the resource \
                olympus://tasks/mine to see work already assigned to you.
                2. Claim: %s. It atomically takes the most urgent ready task for you and moves it to in_progress \
                with a lease. If it answers {"task": null}, there is nothing to do: stop, or wait and try later.
                3. Understand: get_task {"taskId": <id>} gives the description, dependencies and comments.
                4. Work. While you work, call heartbeat {"status": "working", "taskId": <id>} at least every \
                heartbeat interval (it keeps your lease; a silent agent's task goes back to the queue), and \
                comment_on_task to record progress or questions.
                5. When you are stuck on a decision you should not make alone, ask instead of guessing: \
                ask_question {"taskId": <id>, "question": "<the decision and what you know>", "options": [...], \
                "to": "orchestrator" | "human" | "<agent>"}. The task is blocked until the answer comes; then it is \
                yours again, in progress (claim_task with waitSeconds, or get_task, shows the answer as a comment). \
                If you cannot continue for another reason, block with a reason: update_task {"taskId": <id>, \
                "status": "blocked", "comment": "<what you need and from whom>"}. A block without a reason is \
                refused (block-reason-required).
                6. Finish: update_task {"taskId": <id>, "status": "done", "result": "<the deliverable: summary, \
                link, commit>"}; or "in_review" when someone must check it, or "failed" with the reason in result.
                7. Go back to step 2.

                Errors come back as tool errors whose text is JSON with a stable "code": forbidden (not allowed \
                for your role or not your task), invalid-transition, dependencies-unmet, block-reason-required, \
                version-conflict, rate-limited (wait "retryAfter" seconds), system-frozen (an operator froze \
                writes: wait), agent-killed (stop working at once). Never retry a forbidden call.""".formatted(claim));
    }

    private static String quoted(String labels) {
        StringBuilder out = new StringBuilder();
        for (String label : labels.split(",")) {
            if (!label.isBlank()) {
                if (!out.isEmpty()) {
                    out.append(", ");
                }
                out.append('"').append(label.trim().replace("\"", "")).append('"');
            }
        }
        return out.toString();
    }
}
