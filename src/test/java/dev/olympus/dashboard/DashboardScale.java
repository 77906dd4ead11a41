package dev.olympus.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Manual measurement, not a test (it takes minutes): seeds a running Olympus through its API with N tasks
 * and M agents, then loads the dashboard in headless Chromium and times the first render, the full load
 * and live updates. Half the agents create tasks (each may have at most 500 open ones); start the server with
 * {@code OLYMPUS_RATE_LIMIT_ENABLED=false} unless you want to wait for the creation budget (60 per agent per minute).
 *
 * <pre>java -cp &lt;test classpath&gt; dev.olympus.dashboard.DashboardScale http://localhost:8080/ olk_admin... 5000 20</pre>
 */
public final class DashboardScale {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] STATUSES = {"todo", "in_progress", "in_review", "blocked", "done", "failed", "canceled"};
    private static final double[] SHARE = {0.40, 0.20, 0.08, 0.05, 0.22, 0.03, 0.02};
    private static final String[] PRIORITIES = {"critical", "high", "medium", "low"};
    private static final String[] LABELS = {"java", "docs", "api", "db", "ui", "perf", "tests", "ci"};

    private DashboardScale() {}

    record Agent(String name, String key) {}

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // also after a failure: the pools' threads would keep the JVM alive
    }

    private static void run(String[] args) throws Exception {
        String url = args[0].endsWith("/") ? args[0] : args[0] + "/";
        String admin = args[1];
        int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        int agents = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        String run = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);

        // Agents: half orchestrators (a creator may have at most 500 open tasks, and creation is rate-limited
        // per agent), half workers.
        int planners = Math.max(1, agents / 2);
        List<Agent> orchestrators = new ArrayList<>();
        List<Agent> workers = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            boolean planner = i < planners;
            String name = (planner ? "plan-" : "work-") + run + "-" + i;
            JsonNode created = call(admin, "POST", url + "api/v1/agents", Map.of("name", name, "role", planner ? "orchestrator" : "worker"));
            (planner ? orchestrators : workers).add(new Agent(name, created.path("apiKey").asText()));
        }

        long seedStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                Agent creator = orchestrators.get(n % orchestrators.size());
                Agent worker = workers.get(n % workers.size());
                String status = pick(n);
                var body = Map.of("title", "Task " + n + " of run " + run + ": " + words(n),
                        "description", "Seeded by DashboardScale run " + run + ".",
                        "priority", PRIORITIES[n % 4],
                        "labels", List.of(LABELS[n % LABELS.length], LABELS[(n / 3) % LABELS.length]),
                        "assignee", worker.name());
                long id = call(creator.key(), "POST", url + "api/v1/tasks", body).path("id").asLong();
                for (String step : path(status)) {
                    Map<String, Object> patch = step.equals("blocked")
                            ? Map.of("status", step, "comment", "waiting on review")
                            : Map.of("status", step);
                    call(step.equals("canceled") ? creator.key() : worker.key(), "PATCH", url + "api/v1/tasks/" + id, patch);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("seeded %d tasks and %d agents in %.1f s%n", tasks, agents, (System.nanoTime() - seedStart) / 1e9);

        try (Browser browser = new Browser(1440, 900)) {
            browser.driver.get(url);
            browser.await(d -> d.findElement(By.id("signin-key")).isDisplayed());
            browser.find("#signin-key").sendKeys(admin);
            long t0 = System.nanoTime();
            browser.find("#signin-submit").click();
            browser.waitUpTo(Duration.ofSeconds(120)).until(d -> "false".equals(browser.js("return document.getElementById('board').dataset.loading")));
            long loaded = System.nanoTime();
            Map<?, ?> stats = (Map<?, ?>) browser.js("const s = window.olympus.app.board.renderStats;"
                    + "return {first: s.firstCards, loaded: s.loaded, renders: s.count, maxMs: s.maxMs, totalMs: s.totalMs,"
                    + " nodes: document.getElementsByTagName('*').length, cards: document.querySelectorAll('#board li[data-task-id]').length,"
                    + " tasks: window.olympus.app.board.store.tasks.size, heapMb: performance.memory.usedJSHeapSize / 1048576,"
                    + " nav: performance.getEntriesByType('navigation')[0].responseStart}");
            System.out.printf("sign-in to board fully loaded: %.2f s (wall clock)%n", (loaded - t0) / 1e9);
            System.out.println("page: " + stats + " (first/loaded: ms since navigation start)");

            // Live updates: a worker moves a task; time until its card shows in the new column.
            browser.awaitWebSocket();
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Agent worker = workers.get(i);
                JsonNode page = call(worker.key(), "GET", url + "api/v1/tasks?assignee=me&status=todo&limit=1", null);
                long id = page.path("items").get(0).path("id").asLong();
                browser.driver.get(url + "?assignee=" + worker.name() + "&priority=" + page.path("items").get(0).path("priority").asText());
                browser.waitUpTo(Duration.ofSeconds(60)).until(d -> "false".equals(browser.js("return document.getElementById('board').dataset.loading"))
                        && "live".equals(browser.js("return document.body.dataset.live")));
                long start = System.nanoTime();
                call(worker.key(), "PATCH", url + "api/v1/tasks/" + id, Map.of("status", "in_progress"));
                browser.waitUpTo(Duration.ofSeconds(10)).until(d -> !d.findElements(
                        By.cssSelector("section[data-status='in_progress'] li[data-task-id='" + id + "']")).isEmpty());
                latencies.add((System.nanoTime() - start) / 1e6);
            }
            Collections.sort(latencies);
            System.out.printf("update latency (PATCH sent -> card moved), filtered board: median %.0f ms, max %.0f ms%n",
                    latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));

            // The unfiltered board with all tasks, then a burst of 200 changes.
            long reloadStart = System.nanoTime();
            browser.driver.get(url);
            browser.waitUpTo(Duration.ofSeconds(120)).until(d -> "false".equals(browser.js("return document.getElementById('board').dataset.loading"))
                    && "live".equals(browser.js("return document.body.dataset.live")));
            System.out.printf("reload of the unfiltered board (signed in): fully loaded and live after %.2f s; %s%n",
                    (System.nanoTime() - reloadStart) / 1e9, browser.js("const s = window.olympus.app.board.renderStats;"
                            + "return {first: s.firstCards, loaded: s.loaded, cards: document.querySelectorAll('#board li[data-task-id]').length}"));
            browser.js("const s = window.olympus.app.board.renderStats; s.count = 0; s.totalMs = 0; s.maxMs = 0;");
            List<Long> moved = new ArrayList<>();
            ExecutorService burst = Executors.newFixedThreadPool(8);
            List<Future<Long>> done = new ArrayList<>();
            for (Agent worker : workers) {
                done.add(burst.submit(() -> {
                    JsonNode page = call(worker.key(), "GET", url + "api/v1/tasks?assignee=me&status=todo&limit=" + (200 / workers.size() + 1), null);
                    long last = 0;
                    for (JsonNode t : page.path("items")) {
                        call(worker.key(), "PATCH", url + "api/v1/tasks/" + t.path("id").asLong(), Map.of("status", "in_progress"));
                        last = t.path("id").asLong();
                    }
                    return last;
                }));
            }
            long burstStart = System.nanoTime();
            for (Future<Long> f : done) {
                moved.add(f.get());
            }
            burst.shutdown();
            long sent = System.nanoTime();
            for (long id : moved) {
                browser.waitUpTo(Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(browser.js(
                        "const t = window.olympus.app.board.store.get(arguments[0]); return !!t && t.status === 'in_progress'", id)));
            }
            long applied = System.nanoTime();
            Map<?, ?> burstStats = (Map<?, ?>) browser.js("const s = window.olympus.app.board.renderStats;"
                    + "return {renders: s.count, maxMs: s.maxMs, avgMs: s.count ? s.totalMs / s.count : 0}");
            System.out.printf("burst of ~200 status changes: sent in %.2f s, all applied %.0f ms after the last; redraws %s%n",
                    (sent - burstStart) / 1e9, (applied - sent) / 1e6, burstStats);
        }
    }

    private static String pick(int n) {
        double r = (n * 0.6180339887) % 1.0;
        double acc = 0;
        for (int i = 0; i < STATUSES.length; i++) {
            acc += SHARE[i];
            if (r < acc) {
                return STATUSES[i];
            }
        }
        return "todo";
    }

    private static List<String> path(String status) {
        return switch (status) {
            case "in_progress" -> List.of("in_progress");
            case "in_review" -> List.of("in_progress", "in_review");
            case "blocked" -> List.of("blocked");
            case "done" -> List.of("in_progress", "done");
            case "failed" -> List.of("in_progress", "failed");
            case "canceled" -> List.of("canceled");
            default -> List.of();
        };
    }

    private static final String[] WORDS = {"parser", "claim", "lease", "docs", "index", "retry", "chart", "socket", "cache", "token"};

    private static String words(int n) {
        return WORDS[n % WORDS.length] + " " + WORDS[(n / 7) % WORDS.length] + " " + WORDS[(n / 49) % WORDS.length];
    }

    static JsonNode call(String key, String method, String url, Object body) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(30));
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429 && response.headers().firstValue("Retry-After").isPresent() && attempt < 50) {
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.max(1, wait) * 1000); // a manual tool: waiting as told is the point
                continue;
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        }
    }
}
