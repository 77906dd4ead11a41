package dev.olympus.question;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.ETags;
import dev.olympus.web.Limits;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code /api/v1/questions}: the inbox, one question, and answering it. Maps HTTP to {@link QuestionService}. */
@Path("/api/v1/questions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Questions")
public class QuestionResource {

    private final QuestionService questions;
    private final CurrentCaller caller;

    public QuestionResource(QuestionService questions, CurrentCaller caller) {
        this.questions = questions;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List questions (the inbox)", description = """
            Oldest first. `state` (`open`, `answered`), `to` (`human`, `orchestrator`, an agent's name or `me`) and \
            `taskId` narrow the list. Operators and observers see all questions; orchestrators those to \
            `orchestrator`, `human` or themselves, and those they asked; other agents those they asked or that are \
            addressed to them.""")
    public Uni<Page<Question>> list(@QueryParam("state") String state, @QueryParam("to") String to,
                                    @QueryParam("taskId") Long taskId, @QueryParam("limit") String limit,
                                    @QueryParam("cursor") String cursor) {
        return questions.list(caller.get(), state, to, taskId, cursor, Limits.limit(limit));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One question", description = "403 when the caller may not see it (see the list).")
    public Uni<RestResponse<Question>> get(@PathParam("id") long id) {
        return questions.get(caller.get(), id).map(QuestionResource::withETag);
    }

    @POST
    @Path("{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a question", description = """
            `{ "answer": "...", "choice": "<one of the options>" }` (the answer may be left out when a choice is \
            given). Who may answer: `human` → operators; `orchestrator` → orchestrators and operators; an agent → \
            that agent or an operator; else 403. The answer is added to the task as the answerer's comment, the task \
            returns to the status it had before the question (in progress: the asker's lease is renewed under its \
            lease epoch; if the asker was killed meanwhile, todo and unassigned, claimable by others and handed to a \
            waiting claim at once) once no other question is open on it, and `task.question_answered` wakes the asker. \
            A second answer: 409 `already-answered`; a `choice` that is not an option: 400.""")
    public Uni<RestResponse<Question>> answer(@PathParam("id") long id, @NotNull @Valid QuestionRequests.Answer request) {
        return questions.answer(caller.get(), id, request).map(QuestionResource::withETag);
    }

    /** A question changes once (open → answered): its ETag is "1" while open and "2" once answered. */
    static <T> RestResponse<T> withETag(Question question) {
        @SuppressWarnings("unchecked")
        RestResponse<T> response = (RestResponse<T>) RestResponse.ResponseBuilder.ok(question)
                .header(HttpHeaders.ETAG, ETags.of(question.isOpen() ? 1 : 2)).build();
        return response;
    }

    static RestResponse<Question> created(Question question) {
        return RestResponse.ResponseBuilder.<Question>created(
                        UriBuilder.fromPath("/api/v1/questions/{id}").build(question.id()))
                .entity(question).header(HttpHeaders.ETAG, ETags.of(1)).build();
    }
}
