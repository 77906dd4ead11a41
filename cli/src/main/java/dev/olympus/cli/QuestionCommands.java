package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** oly questions: an agent asks about its task (which blocks it), someone answers (which resumes it). */
@Command(name = "questions", description = "Ask and answer questions about tasks.",
        subcommands = {QuestionCommands.Ask.class, QuestionCommands.Answer.class, QuestionCommands.ListQuestions.class,
                QuestionCommands.Show.class})
final class QuestionCommands extends Group {

    @Command(name = "ask", description = "Ask a question about a task (the task waits, blocked, for the answer).")
    static final class Ask extends Base {
        @Parameters(index = "0", paramLabel = "TASK")
        long taskId;
        @Parameters(index = "1", paramLabel = "QUESTION", description = "The question (1..4 KiB).")
        String question;
        @Option(names = "--option", paramLabel = "TEXT", description = "A possible answer (repeatable, at most 10).")
        List<String> options;
        @Option(names = "--to", paramLabel = "WHO", description = "human, orchestrator (default) or an agent name.")
        String to;

        @Override
        int run() {
            required(question, "QUESTION");
            if (question.getBytes(StandardCharsets.UTF_8).length > 4096) {
                throw CliException.usage("QUESTION must be at most 4 KiB");
            }
            if (options != null && options.size() > 10) {
                throw CliException.usage("at most 10 --option values");
            }
            ObjectNode body = object();
            body.put("question", question);
            putList(body, "options", options);
            if (to != null) {
                body.put("to", to);
            }
            output().resource(api().call("POST", Tasks.path(taskId) + "/questions", body));
            return Exit.OK;
        }
    }

    @Command(name = "answer", description = "Answer a question (the task goes back to where it was).")
    static final class Answer extends Base {
        @Parameters(index = "0", paramLabel = "QUESTION-ID")
        long questionId;
        @Parameters(index = "1", paramLabel = "ANSWER", description = "The answer (1..16 KiB).")
        String answer;
        @Option(names = "--choice", paramLabel = "OPTION", description = "One of the question's options.")
        String choice;

        @Override
        int run() {
            required(answer, "ANSWER");
            if (answer.getBytes(StandardCharsets.UTF_8).length > 16384) {
                throw CliException.usage("ANSWER must be at most 16 KiB");
            }
            ObjectNode body = object();
            body.put("answer", answer);
            if (choice != null) {
                body.put("choice", choice);
            }
            output().resource(api().call("POST", "/api/v1/questions/" + questionId + "/answer", body));
            return Exit.OK;
        }
    }

    @Command(name = "list", description = "List questions you may see.")
    static final class ListQuestions extends TaskCommands.Paged {
        @Option(names = "--state", paramLabel = "open|answered")
        String state;
        @Option(names = "--to", paramLabel = "WHO")
        String to;
        @Option(names = "--task", paramLabel = "TASK")
        Long taskId;

        @Override
        int run() {
            if (state != null && !state.equals("open") && !state.equals("answered")) {
                throw CliException.usage("--state must be open or answered");
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("state", state);
            params.put("to", to);
            params.put("taskId", taskId);
            params.putAll(paging());
            output().page(api().call("GET", "/api/v1/questions" + Api.query(params), null), Output.QUESTION_COLUMNS);
            return Exit.OK;
        }
    }

    @Command(name = "show", description = "Show one question.")
    static final class Show extends Base {
        @Parameters(paramLabel = "QUESTION-ID")
        long questionId;

        @Override
        int run() {
            output().resource(api().call("GET", "/api/v1/questions/" + questionId, null));
            return Exit.OK;
        }
    }
}
