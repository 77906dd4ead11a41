package dev.olympus.task;

/** Rules shared by the task request bodies. */
final class TaskRequests {

    static final String LABEL = "^[A-Za-z0-9._:/-]{1,64}$";
    static final String LABEL_MESSAGE = "must be 1..64 letters, digits or ._:/-";
    static final java.util.regex.Pattern LABEL_PATTERN = java.util.regex.Pattern.compile(LABEL);
    static final java.util.regex.Pattern AGENT_NAME = java.util.regex.Pattern.compile("^[a-z][a-z0-9-]{1,31}$");

    private TaskRequests() {}
}
