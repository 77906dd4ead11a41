package dev.olympus.ratelimit;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/** The rules every new task must pass ({@code olympus.tasks.*}; defaults in application.properties). */
@ConfigMapping(prefix = "olympus.tasks")
public interface TaskCreationConfig {

    /** Task creations allowed per agent in any sliding {@link #createBudgetWindow()} (at least 1). */
    int createBudgetPerMinute();

    /** The sliding window of the creation budget (at least 1 s). */
    Duration createBudgetWindow();

    /** Open tasks (todo, in_progress, in_review, blocked) one creator may have at once (at least 1). */
    int maxOpenPerCreator();

    /** How far back an open task with the same normalised title counts as a duplicate (0s: never). */
    Duration duplicateWindow();
}
