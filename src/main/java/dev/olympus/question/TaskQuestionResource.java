package dev.olympus.question;

import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code POST /api/v1/tasks/{id}/questions}: asking about a task. */
@Path("/api/v1/tasks/{id}/questions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Questions")
public class TaskQuestionResource {

    private final QuestionService questions;
    private final CurrentCaller caller;

    public TaskQuestionResource(QuestionService questions, CurrentCaller caller) {
        this.questions = questions;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask a question about a task (its assignee, orchestrators, operators)", description = """
            `{ "question": "...", "options": ["...", ...], "to": "human" | "orchestrator" | "<agent>" }` (`to` \
            defaults to `orchestrator`; up to 10 options). In the same transaction the task moves to `blocked` (the \
            question is its documented reason, no comment needed; a task already blocked stays so) and \
            `task.question_asked` is written. 201 with the question and its `Location`. A killed or unknown agent in \
            `to`: 400; a task that is `in_review`, `done`, `failed` or `canceled`: 409 `invalid-transition`; a worker \
            asking about another agent's task: 403.""")
    public Uni<RestResponse<Question>> ask(@PathParam("id") long id, @NotNull @Valid QuestionRequests.Ask request) {
        return questions.ask(caller.get(), id, request).map(QuestionResource::created);
    }
}
