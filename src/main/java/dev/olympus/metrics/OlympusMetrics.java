package dev.olympus.metrics;

import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Olympus's domain meters, exported at {@code /q/metrics}. Names are fixed: deployment alert rules refer to them
 * (README, "Operating Olympus"). Other features report through the methods of this bean:
 * <ul>
 *   <li>the WebSocket endpoint: {@link #websocketOpened()} / {@link #websocketClosed()};</li>
 *   <li>the scheduler: {@link #schedulerLeader(boolean)} when it gains or loses leadership, {@link #schedulerRan()}
 *       after each completed run on the leader;</li>
 *   <li>{@code EventLog} reports every appended event ({@link #eventsWritten(List)}); task rejections are counted
 *       centrally from problem responses ({@link RejectionCounter}); the state gauges are refreshed by
 *       {@link StateGauges}.</li>
 * </ul>
 * Every method is cheap and thread-safe: it may be called from the event loop.
 */
@ApplicationScoped
public class OlympusMetrics {

    static final List<String> TASK_STATUSES = List.of("todo", "in_progress", "in_review", "blocked", "done", "failed", "canceled");
    static final List<String> ATTENTION_REASONS = List.of("lease-expired", "stale-blocked", "unanswered-question");
    static final List<String> QUESTION_ADDRESSEES = List.of("human", "orchestrator", "agent");
    static final List<String> AGENT_STATES = List.of("active", "unresponsive", "paused", "killed");

    private final MeterRegistry registry;
    private final Counter tasksCreated;
    private final Counter tasksDone;
    private final Counter tasksFailed;
    private final Counter eventsWritten;
    private final Counter schedulerRuns;
    private final AtomicLong websocketSessions = new AtomicLong();
    private final AtomicLong schedulerLeader = new AtomicLong();
    /** Epoch millis of the last completed scheduler run (or of gaining leadership), for the lag gauge. */
    private final AtomicLong schedulerLastRun = new AtomicLong();
    private final Map<String, AtomicLong> tasks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> attention = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> agents = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> questionsOpen = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();

    public OlympusMetrics(MeterRegistry registry) {
        this.registry = registry;
        tasksCreated = Counter.builder("olympus.tasks.created")
                .description("Tasks created (retries included)").register(registry);
        tasksDone = completed("done");
        tasksFailed = completed("failed");
        eventsWritten = Counter.builder("olympus.events.written")
                .description("Events appended to the event log").register(registry);
        schedulerRuns = Counter.builder("olympus.scheduler.runs")
                .description("Completed scheduler runs on this instance (it was the leader)").register(registry);
        Gauge.builder("olympus.websocket.sessions", websocketSessions, AtomicLong::get)
                .description("Open event-stream WebSocket sessions on this instance").register(registry);
        Gauge.builder("olympus.scheduler.leader", schedulerLeader, AtomicLong::get)
                .description("1 when this instance is the scheduler leader, else 0").register(registry);
        Gauge.builder("olympus.scheduler.lag", this, OlympusMetrics::schedulerLagSeconds)
                .baseUnit("seconds")
                .description("On the leader: seconds since its last completed scheduler run; 0 elsewhere").register(registry);
        TASK_STATUSES.forEach(status -> gauge(tasks, "olympus.tasks", "status", status, "Tasks by status"));
        ATTENTION_REASONS.forEach(reason -> gauge(attention, "olympus.tasks.attention", "reason", reason,
                "Tasks that need attention, by reason"));
        AGENT_STATES.forEach(state -> gauge(agents, "olympus.agents", "state", state, "Agents by state"));
        QUESTION_ADDRESSEES.forEach(to -> gauge(questionsOpen, "olympus.questions.open", "to", to,
                "Open questions by addressee kind (human, orchestrator, agent)"));
    }

    // ---- for the WebSocket endpoint ----

    /** A WebSocket session of the event stream opened on this instance. */
    public void websocketOpened() {
        websocketSessions.incrementAndGet();
    }

    /** A WebSocket session of the event stream closed (for any reason). */
    public void websocketClosed() {
        websocketSessions.updateAndGet(n -> Math.max(0, n - 1));
    }

    // ---- for the scheduler ----

    /** This instance became ({@code true}) or stopped being ({@code false}) the scheduler leader. */
    public void schedulerLeader(boolean leader) {
        long previous = schedulerLeader.getAndSet(leader ? 1 : 0);
        if (leader && previous == 0) {
            schedulerLastRun.set(clock.millis()); // the lag counts from the moment it took over
        }
    }

    /** The leader completed one scheduler run. */
    public void schedulerRan() {
        schedulerRuns.increment();
        schedulerLastRun.set(clock.millis());
    }

    // ---- reported by the event log ----

    /** Counts appended events, and the task creations and completions among them. */
    public void eventsWritten(List<NewEvent> events) {
        eventsWritten.increment(events.size());
        for (NewEvent event : events) {
            if (EventType.TASK_CREATED.equals(event.type())) {
                tasksCreated.increment();
            } else if (EventType.TASK_STATUS_CHANGED.equals(event.type()) && event.data() != null) {
                Object to = event.data().getValue("to");
                if ("done".equals(to)) {
                    tasksDone.increment();
                } else if ("failed".equals(to)) {
                    tasksFailed.increment();
                }
            }
        }
    }

    // ---- reported centrally for refused requests ----

    /** A refused task request: {@code code} is the problem code, {@code agent} the caller's name. */
    public void taskRejected(String code, String agent) {
        registry.counter("olympus.task.rejections", Tags.of("code", code, "agent", agent)).increment();
    }

    // ---- state gauges, refreshed from the database ----

    void taskCounts(Map<String, Long> byStatus, Map<String, Long> byAttentionReason, Map<String, Long> byAgentState) {
        set(tasks, "olympus.tasks", "status", byStatus, "Tasks by status");
        set(attention, "olympus.tasks.attention", "reason", byAttentionReason, "Tasks that need attention, by reason");
        set(agents, "olympus.agents", "state", byAgentState, "Agents by state");
    }

    void openQuestions(Map<String, Long> byAddresseeKind) {
        set(questionsOpen, "olympus.questions.open", "to", byAddresseeKind,
                "Open questions by addressee kind (human, orchestrator, agent)");
    }

    /** For tests: the clock of the scheduler lag. */
    void clock(Clock clock) {
        this.clock = clock;
    }

    double schedulerLagSeconds() {
        if (schedulerLeader.get() == 0) {
            return 0;
        }
        return Math.max(0, clock.millis() - schedulerLastRun.get()) / 1000.0;
    }

    private Counter completed(String outcome) {
        return Counter.builder("olympus.tasks.completed").tag("outcome", outcome)
                .description("Tasks that reached a final outcome (done or failed); a reopened task counts again")
                .register(registry);
    }

    private void set(Map<String, AtomicLong> gauges, String name, String tag, Map<String, Long> values, String description) {
        gauges.values().forEach(value -> value.set(0));
        values.forEach((key, count) -> gauge(gauges, name, tag, key, description).set(count));
    }

    private AtomicLong gauge(Map<String, AtomicLong> gauges, String name, String tag, String key, String description) {
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag(tag, k).description(description).register(registry);
            return value;
        });
    }
}
