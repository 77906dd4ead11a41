package dev.olympus.question;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/** {@code olympus.questions.*}: questions about tasks (docs/questions.md). */
@ConfigMapping(prefix = "olympus.questions")
public interface QuestionsConfig {

    /** An open question older than this gives its task needsAttention ({@code unanswered-question}). */
    Duration staleAfter();
}
