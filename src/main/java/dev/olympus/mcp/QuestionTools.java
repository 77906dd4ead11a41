package dev.olympus.mcp;

import dev.olympus.question.QuestionRequests;
import dev.olympus.question.QuestionService;
import dev.olympus.web.Limits;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.List;

/** Question tools: the REST service's rules (docs/questions.md) for agents on MCP. */
@ApplicationScoped
public class QuestionTools {

    private final QuestionService questions;
    private final ToolResults results;
    private final Validator validator;

    public QuestionTools(QuestionService questions, ToolResults results, Validator validator) {
        this.questions = questions;
        this.results = results;
        this.validator = validator;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "ask_question", description = """
            Ask a question about a task instead of guessing (its assignee, an orchestrator or an operator). The task \
            moves to blocked at once (the question is the block's reason) and returns to where it was when the \
            question is answered: in progress, your lease and lease epoch stay valid. `to` is "orchestrator" \
            (default), "human" (the operators) or an agent's name; `options` offers up to 10 choices. Answers the \
            question with its id; you learn the answer from get_task (a comment "Answer to question #id"), \
            list_questions, claim_task with waitSeconds, or the event task.question_answered.""",
            annotations = @Tool.Annotations(title = "Ask a question", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> askQuestion(
            @ToolArg(description = "The task's id") long taskId,
            @ToolArg(description = "The question, 1..4096 characters") String question,
            @ToolArg(description = "Up to 10 choices the answer may pick from", required = false) List<String> options,
            @ToolArg(description = "\"orchestrator\" (default), \"human\" or an agent's name", required = false) String to) {
        return results.write(caller -> {
            var request = new QuestionRequests.Ask(TaskTools.text("question", question), options, to);
            var violations = validator.validate(request);
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return questions.ask(caller, taskId, request);
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "list_questions", description = """
            List questions you may see, oldest first: your inbox is state="open", to="me" (or "orchestrator" / \
            "human" for those roles). Answers {"items": [question...], "nextCursor": ...}.""",
            annotations = @Tool.Annotations(title = "List questions", readOnlyHint = true, destructiveHint = false,
                    openWorldHint = false))
    public Uni<ToolResponse> listQuestions(
            @ToolArg(description = "open or answered", required = false) String state,
            @ToolArg(description = "human, orchestrator, an agent's name, or me", required = false) String to,
            @ToolArg(description = "Only the questions about this task", required = false) Long taskId,
            @ToolArg(description = "Page size, 1..200 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return results.run(caller -> questions.list(caller, state, to, taskId, cursor,
                Limits.limit(limit == null ? null : limit.toString())));
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "answer_question", description = """
            Answer a question addressed to you or your role (human: operators; orchestrator: orchestrators and \
            operators; an agent: it or an operator). The answer becomes a comment on the task, the task is unblocked \
            and the asker is woken. `choice` must be one of the question's options. A second answer is refused \
            (already-answered).""",
            annotations = @Tool.Annotations(title = "Answer a question", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> answerQuestion(
            @ToolArg(description = "The question's id") long questionId,
            @ToolArg(description = "The answer, 1..16384 characters (optional when a choice is given)", required = false)
            String answer,
            @ToolArg(description = "One of the question's options", required = false) String choice) {
        return results.write(caller -> {
            var request = new QuestionRequests.Answer(TaskTools.text("answer", answer), choice);
            var violations = validator.validate(request);
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return questions.answer(caller, questionId, request);
        });
    }
}
