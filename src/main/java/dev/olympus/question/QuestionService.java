package dev.olympus.question;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.agent.AgentRepository;
import dev.olympus.auth.Caller;
import dev.olympus.auth.KillFence;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.task.QuestionMoves;
import dev.olympus.task.Task;
import dev.olympus.task.TaskStatus;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.StrictStrings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Questions about tasks: asking blocks the task in the same transaction; answering stores the answer (and a
 * comment), returns the task to the status it had, and writes {@code task.question_answered}, which reaches the
 * asker however it listens (long-poll, WebSocket, webhooks). Rules: docs/questions.md.
 */
@ApplicationScoped
public class QuestionService {

    /** A comment holds at most this much (V1); an answer with its choice line must fit. */
    private static final int MAX_COMMENT = 16384;

    private final Transactions transactions;
    private final QuestionRepository questions;
    private final QuestionMoves moves;
    private final AgentRepository agents;
    private final ObjectMapper json;

    public QuestionService(Transactions transactions, QuestionRepository questions, QuestionMoves moves, AgentRepository agents,
                           ObjectMapper json) {
        this.transactions = transactions;
        this.questions = questions;
        this.moves = moves;
        this.agents = agents;
        this.json = json;
    }

    public Uni<Question> ask(Caller caller, long taskId, QuestionRequests.Ask request) {
        if (caller.is(Role.OBSERVER)) {
            throw ProblemException.forbidden("Observers are read-only.");
        }
        Addressee to = Addressee.parse(request.to());
        List<String> options = request.options() == null ? List.of() : request.options().stream().map(String::strip).toList();
        if (new HashSet<>(options).size() != options.size()) {
            throw ProblemException.validation("options", "must not repeat an option");
        }
        String text = request.question().strip();
        return transactions.inTransaction(tx -> KillFence.holdAlive(tx.conn(), caller)
                .chain(() -> moves.lock(tx.conn(), taskId))
                .invoke(task -> {
                    if (!caller.plans() && !caller.name().equals(task.assignee())) {
                        throw ProblemException.forbidden("Only the task's assignee, an orchestrator or an operator asks about it.");
                    }
                    if (!QuestionMoves.canAskFrom(task.status())) {
                        throw ProblemException.conflict(ProblemCode.INVALID_TRANSITION, "Invalid transition",
                                        "Task " + taskId + " is " + task.status().wire() + ": questions are asked about open work "
                                                + "(todo, in_progress or blocked).")
                                .with("from", task.status().wire()).with("to", TaskStatus.BLOCKED.wire())
                                .with("currentStatus", task.status().wire());
                    }
                })
                .call(task -> requireAddressable(tx, to))
                .chain(task -> previousStatus(tx, task)
                        .chain(previous -> questions.insert(tx.conn(), taskId, caller.name(), to, text, options, previous))
                        .chain(question -> moves.block(tx, caller.name(), task, question.id())
                                .invoke(after -> tx.emit(new NewEvent(EventType.TASK_QUESTION_ASKED, caller.name(), taskId,
                                        to.kind() == Addressee.Kind.AGENT ? to.name() : null,
                                        moves.snapshot(after).put("question", toJson(question)))))
                                .replaceWith(question))));
    }

    public Uni<Question> answer(Caller caller, long id, QuestionRequests.Answer request) {
        String text = request.answer() == null || StrictStrings.blank(request.answer()) ? null : request.answer().strip();
        String choice = request.choice();
        if (text == null && choice == null) {
            throw ProblemException.validation("answer", StrictStrings.BLANK_MESSAGE);
        }
        // The addressee decides who may answer (403 before anything is locked), then the task's row and the
        // question's, in that order (as asking does), so two answers queue up and the second finds it answered.
        return questions.find(transactions.pool(), id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Question " + id))
                .chain(found -> questions.addressee(transactions.pool(), id).invoke(to -> {
                    if (!to.answerableBy(caller)) {
                        throw ProblemException.forbidden(switch (to.kind()) {
                            case HUMAN -> "Questions to \"human\" are answered by operators.";
                            case ORCHESTRATOR -> "Questions to \"orchestrator\" are answered by orchestrators and operators.";
                            case AGENT -> "This question is addressed to '" + to.name() + "': it or an operator answers it.";
                        });
                    }
                    if (choice != null && !found.options().contains(choice)) {
                        throw ProblemException.validation("choice", "must be one of the question's options " + found.options());
                    }
                }).replaceWith(found))
                .chain(found -> transactions.inTransaction(tx -> KillFence.holdAlive(tx.conn(), caller)
                        .chain(() -> moves.lock(tx.conn(), found.taskId()))
                        .chain(task -> questions.lock(tx.conn(), id).chain(locked -> {
                            if (!locked.question().isOpen()) {
                                throw ProblemException.conflict(ProblemCode.ALREADY_ANSWERED, "Already answered",
                                                "Question " + id + " was answered by '" + locked.question().answeredBy() + "' at "
                                                        + locked.question().answeredAt() + ".")
                                        .with("questionId", id);
                            }
                            String answer = text == null ? choice : text;
                            return questions.markAnswered(tx.conn(), id, answer, choice, caller.name())
                                    .call(answered -> moves.comment(tx, task.id(), caller.name(), commentBody(answered)))
                                    .chain(answered -> giveBack(tx, caller, task, locked)
                                            .invoke(after -> tx.emit(new NewEvent(EventType.TASK_QUESTION_ANSWERED, caller.name(),
                                                    task.id(), answered.askedBy(),
                                                    moves.snapshot(after).put("question", toJson(answered)))))
                                            .replaceWith(answered));
                        }))));
    }

    public Uni<Question> get(Caller caller, long id) {
        return questions.find(transactions.pool(), id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Question " + id))
                .chain(question -> questions.list(transactions.pool(), caller,
                                new QuestionRepository.Filter(null, null, question.taskId(), id - 1, 1))
                        .invoke(page -> {
                            if (page.isEmpty() || page.getFirst().id() != id) {
                                throw ProblemException.forbidden("This question is neither yours nor addressed to you or your role.");
                            }
                        })
                        .replaceWith(question));
    }

    public Uni<Page<Question>> list(Caller caller, String state, String to, Long taskId, String cursor, int limit) {
        if (state != null && !state.equals(Question.OPEN) && !state.equals(Question.ANSWERED)) {
            throw ProblemException.validation("state", "must be open or answered");
        }
        Addressee addressee = to == null ? null : Addressee.parse(to.equals("me") ? caller.name() : to);
        long after = cursor == null ? 0 : Cursors.decodeLong(Cursors.decode(cursor, 1)[0]);
        return questions.list(transactions.pool(), caller, new QuestionRepository.Filter(state, addressee, taskId, after, limit + 1))
                .map(found -> found.size() > limit
                        ? new Page<>(found.subList(0, limit), Cursors.encode(Long.toString(found.get(limit - 1).id())))
                        : new Page<>(found, null));
    }

    /** An agent addressee must exist and not be killed: 400 on {@code to}. */
    private Uni<Void> requireAddressable(Tx tx, Addressee to) {
        if (to.kind() != Addressee.Kind.AGENT) {
            return Uni.createFrom().voidItem();
        }
        return agents.ref(tx.conn(), to.name()).invoke(agent -> {
            if (agent == null) {
                throw ProblemException.validation("to", "no agent named '" + to.name() + "'");
            }
            if ("killed".equals(agent.state())) {
                throw ProblemException.validation("to", "agent '" + to.name() + "' is killed");
            }
        }).replaceWithVoid();
    }

    /** The status the answer returns the task to: its own, or (already blocked) that of the question open before. */
    private Uni<String> previousStatus(Tx tx, Task task) {
        if (task.status() != TaskStatus.BLOCKED) {
            return Uni.createFrom().item(task.status().wire());
        }
        return questions.openPreviousStatus(tx.conn(), task.id()).map(open -> open == null ? TaskStatus.BLOCKED.wire() : open);
    }

    /**
     * Unblocks the task when this was its last open question and it is still blocked: back to the status it had.
     * A task that was in progress goes back to its holder with the lease renewed, unless the holder is gone: then to
     * todo, unassigned (killed meanwhile: to the pool, so that another agent can claim it) or as it is (unassigned
     * meanwhile).
     */
    private Uni<Task> giveBack(Tx tx, Caller caller, Task task, QuestionRepository.Locked locked) {
        TaskStatus previous = TaskStatus.fromWire(locked.previousStatus());
        if (task.status() != TaskStatus.BLOCKED || previous == TaskStatus.BLOCKED) {
            return Uni.createFrom().item(task);
        }
        return questions.anyOpen(tx.conn(), task.id()).chain(open -> {
            if (open) {
                return Uni.createFrom().item(task);
            }
            if (previous != TaskStatus.IN_PROGRESS) {
                return moves.returnTo(tx, caller.name(), task, previous, locked.question().id());
            }
            if (task.assignee() == null) {
                return moves.returnTo(tx, caller.name(), task, TaskStatus.TODO, locked.question().id());
            }
            return agents.ref(tx.conn(), task.assignee()).map(agent -> agent != null && !"killed".equals(agent.state()))
                    .chain(alive -> alive
                            ? moves.returnTo(tx, caller.name(), task, TaskStatus.IN_PROGRESS, locked.question().id())
                            : moves.returnToPool(tx, caller.name(), task, locked.question().id()));
        });
    }

    private static String commentBody(Question answered) {
        String body = answered.choice() == null || answered.choice().equals(answered.answer())
                ? answered.answer()
                : answered.choice() + ": " + answered.answer();
        String prefix = "Answer to question #" + answered.id() + ": ";
        String full = prefix + body;
        return full.length() <= MAX_COMMENT ? full : full.substring(0, MAX_COMMENT);
    }

    @SuppressWarnings("unchecked")
    private JsonObject toJson(Question question) {
        return new JsonObject(json.convertValue(question, Map.class));
    }
}
